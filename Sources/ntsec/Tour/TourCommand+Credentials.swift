import CredentialManager
import Foundation

extension TourCommand {
  /// The Credential Manager part of the tour, in a throwaway vault under a temporary directory.
  func credentialTour(section: (String) -> Void, show: (String, String) -> Void) throws {
    section("Credential Manager (a throwaway vault)")
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
      show("CredWrite", "generic \"tour/MyService\" and domain password \"fs1.corp.example.com\"")
      for c in try vault.enumerate() {
        show(
          "CredEnumerate",
          "\(c.type) \"\(c.targetName)\" user \(c.userName ?? "") blob \(c.credentialBlob.count) bytes")
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
