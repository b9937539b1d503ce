import CredentialManager
import Foundation

extension TourCommand {
  /// The Credential Manager part of the tour, in a throwaway vault under a temporary directory and
  /// a session keyring of the tour's own (`ownSessionKeyring`; without one the part is skipped, so
  /// the login session's credentials are never shown or touched).
  func credentialTour(
    ownSessionKeyring: Bool, section: (String) -> Void, show: (String, String) -> Void
  ) throws {
    section("Credential Manager (a throwaway vault)")
    guard ownSessionKeyring else {
      show(
        "skipped", "no new session keyring (keyctl join-session failed: \(String(cString: strerror(errno))))")
      return
    }
    let directory = NSTemporaryDirectory() + "ntsec-tour-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      let vault = try CredentialVault(location: .inside(directory), protection: .keyFile)
      show("vault", vault.location.databasePath + " (key apart in " + vault.location.keyFilePath + ")")
      try vault.write(
        Credential(type: .generic, targetName: "tour/MyService", userName: "alice", password: "correct horse")
      )
      try vault.write(
        Credential(
          type: .domainPassword, targetName: "fs1.corp.example.com", userName: "CORP\\alice", password: "pw"))
      try vault.write(
        Credential(
          type: .generic, targetName: "tour/ThisLogon", userName: "alice", password: "for now",
          persist: .session))
      show(
        "CredWrite",
        "generic \"tour/MyService\", domain password \"fs1.corp.example.com\", and \"tour/ThisLogon\" "
          + "for this logon only (CRED_PERSIST_SESSION, in the tour's own session keyring)")
      for c in try vault.enumerate() {
        show(
          "CredEnumerate",
          "\(c.type) \"\(c.targetName)\" user \(c.userName ?? "") blob \(c.credentialBlob.count) bytes, "
            + "persist \(c.persist)")
      }
      let read = try vault.read(target: "TOUR/myservice", type: .generic)
      show(
        "CredRead (case-insensitive)",
        "user \(read.userName ?? ""), password \(read.credentialBlob.password ?? "?")")
      show("printed as", read.description)
      let domain = try vault.read(target: "fs1.corp.example.com", type: .domainPassword)
      show("domain password blob for applications", "\(domain.credentialBlob.count) bytes, as on Windows")
      do { _ = try vault.read(target: "tour/missing", type: .generic) } catch { show("missing", "\(error)") }
      show("CredMarshalCredential(\"test\")", try CredentialManager.marshal(.usernameTarget("test")))
      let parsed = try CredentialManager.parseUserName("CORP\\alice")
      show("CredUIParseUserName(CORP\\alice)", "user \(parsed.user), domain \(parsed.domain)")
    } catch {
      show("error", "\(error)")
    }
  }
}
