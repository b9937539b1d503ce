import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Shows one credential (CredRead).")
  @Argument(help: "The target name of the credential to show (case-insensitive).") var target: String
  @OptionGroup var type: TypeOption
  @Flag(name: .long, help: "Also print the secret.") var reveal = false
  func run() throws {
    let t = try type.resolve()
    printCredential(try openVault().read(target: target, type: t), reveal: reveal)
  }
}
