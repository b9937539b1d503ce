import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredDelete: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Deletes a credential (CredDelete).")
  @Argument(help: "The target name of the credential to delete.") var target: String
  @OptionGroup var type: TypeOption
  func run() throws {
    let t = try type.resolve()
    try openVault().delete(target: target, type: t)
    print("Credential deleted: \(target)")
  }
}
