import Foundation
import NTSecurityTesting
import Synchronization

/// Principals of the shared test realm that map to a local account (the local-account token
/// rule needs one): `nobody@NTSEC.TEST` and `NTSEC\nobody` for NTLM, with one password.
public enum RealmAccounts {
  public static let nobody = "nobody"
  public static let nobodyPassword = "nobody-password"
  static let added = Mutex(false)

  /// Adds `nobody` to the shared realm (Kerberos principal and NTLM user file) once per process;
  /// returns the realm.
  @discardableResult
  public static func withNobody() throws -> KerberosTestRealm {
    let realm = try KerberosTestRealm.shared()
    try added.withLock { done in
      guard !done else { return }
      // An existing principal (another suite added it) is fine: kadmin.local then only warns.
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw \(nobodyPassword) \(nobody)\n")
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: realm.ntlmUserFile))
      defer { try? handle.close() }
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("NTSEC:\(nobody):\(nobodyPassword)\n".utf8))
      done = true
    }
    return realm
  }

  /// A credential cache with a TGT of `nobody@NTSEC.TEST` (made once per call site's path).
  public static func nobodyCCache() throws -> String {
    let realm = try withNobody()
    let ccache = "FILE:" + realm.directory.appendingPathComponent("ccache-nobody").path
    try realm.kinit("nobody@NTSEC.TEST", password: nobodyPassword, ccache: ccache)
    return ccache
  }
}
