import ArgumentParser
import CredentialManager
import Foundation
import NTSecIO
import NTSecurity

struct CredMarshal: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "marshal", abstract: "CredMarshalCredential.")
  @Option(name: .long, help: "SHA-1 hash of a certificate, 40 hex digits.") var cert: String?
  @Option(name: .long, help: "A user name (UsernameTargetCredential).") var username: String?
  func validate() throws {
    guard (cert == nil) != (username == nil) else {
      throw ValidationError("give exactly one of --cert or --username")
    }
  }
  func run() throws {
    let value: MarshaledCredential
    if let cert {
      guard let bytes = hexBytes(cert) else { throw ValidationError("--cert: not hex") }
      value = .certificate(sha1: bytes)
    } else {
      value = .usernameTarget(username!)
    }
    print(try CredentialManager.marshal(value))
  }
}
