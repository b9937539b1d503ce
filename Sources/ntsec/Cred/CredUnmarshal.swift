import ArgumentParser
import CredentialManager
import Foundation
import NTSecurity

struct CredUnmarshal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unmarshal", abstract: "CredUnmarshalCredential.")
  @Argument(help: "A marshaled credential (starts with @@).") var string: String
  func run() throws {
    switch try CredentialManager.unmarshal(string) {
    case .certificate(let hash): print("cert \(hash.map { String(format: "%02x", $0) }.joined())")
    case .usernameTarget(let name): print("username \(name)")
    case .binaryBlob(let blob): print("blob \(blob.map { String(format: "%02x", $0) }.joined())")
    }
  }
}
