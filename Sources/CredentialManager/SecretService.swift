internal import CLibSecret
import Foundation
import NTSecurity

/// The freedesktop Secret Service (gnome-keyring, KWallet, KeePassXC) through libsecret. Holds the
/// vault's master key when the user has a D-Bus session, under the schema
/// `org.ntsecurity.CredentialVault` with the attribute `vault` = the vault's identifier.
enum SecretService {
  /// Whether a D-Bus session bus is announced in the environment.
  static var sessionBusAvailable: Bool {
    let env = ProcessInfo.processInfo.environment
    if let address = env["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty { return true }
    return false
  }

  static func store(vault: String, label: String, secret: String) throws(NTSecurityError) {
    var message = [CChar](repeating: 0, count: 512)
    let ok = message.withUnsafeMutableBufferPointer {
      ntsec_secret_store(vault, label, secret, $0.baseAddress, $0.count)
    }
    guard ok == 1 else {
      throw NTSecurityError(.noSuchLogonSession, "Secret Service: \(cText(message))")
    }
  }

  /// The stored secret, or nil when there is none.
  static func lookup(vault: String) throws(NTSecurityError) -> String? {
    var message = [CChar](repeating: 0, count: 512)
    let secret = message.withUnsafeMutableBufferPointer {
      ntsec_secret_lookup(vault, $0.baseAddress, $0.count)
    }
    guard let secret else {
      if message[0] != 0 {
        throw NTSecurityError(.noSuchLogonSession, "Secret Service: \(cText(message))")
      }
      return nil
    }
    defer { ntsec_secret_free(secret) }
    return String(cString: secret)
  }

  static func clear(vault: String) {
    var message = [CChar](repeating: 0, count: 512)
    _ = message.withUnsafeMutableBufferPointer { ntsec_secret_clear(vault, $0.baseAddress, $0.count) }
  }
}

func cText(_ buffer: [CChar]) -> String {
  buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
