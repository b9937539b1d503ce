import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredRename: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rename", abstract: "Renames a credential's target (CredRename).")
  @Argument(help: "The credential's current target name.") var target: String
  @Argument(help: "The new target name.") var newTarget: String
  @OptionGroup var type: TypeOption
  func run() throws {
    let t = try type.resolve()
    try openVault().rename(target: target, to: newTarget, type: t)
    print("Credential renamed: \(target) -> \(newTarget)")
  }
}
