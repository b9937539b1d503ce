import Foundation
import NTSecurity
import NTSecurityTesting
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

/// The tour's SSPI part: a Negotiate exchange on a throwaway realm, written as a Windows program
/// writes it, ending with the client's token as `whoami /all` shows it.
enum TourSSPI {
  static func run(section: (String) -> Void, show: (String, String) -> Void) {
    section("SSPI: a Negotiate exchange, as a Windows program writes it")
    guard let realm = startTourRealm(show: show) else { return }
    defer { realm.stop() }
    // A principal named after the account running the tour, so the server can map it to a local
    // account (MIT's KDC puts no LOGON_INFO in its PAC).
    let account = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
    do {
      try realm.run(
        "/usr/sbin/kadmin.local", ["-r", KerberosTestRealm.realmName],
        input: "addprinc -pw tour-password \(account)\n")
      for p in SSPI.enumerateSecurityPackages() {
        show(
          "EnumerateSecurityPackages",
          "\(p.name): RPC id \(p.rpcID), max token \(p.maxToken), \"\(p.comment)\"")
      }
      let client = try SSPI.acquireCredentialsHandle(
        package: "Negotiate", use: .outbound,
        authData: SSPI.AuthIdentity(user: account, domain: "ntsec.test", password: "tour-password"))
      show(
        "AcquireCredentialsHandle(Negotiate, OUTBOUND, \(account))",
        "expires \(client.expiry) (local FILETIME \(client.expiry.localFileTime))")
      let server = try SSPI.acquireCredentialsHandle(package: "Negotiate", use: .inbound)
      let req: SSPI.InitializeRequirements = [
        .mutualAuth, .replayDetect, .sequenceDetect, .confidentiality, .integrity,
      ]
      var isc = try SSPI.initializeSecurityContext(
        credentials: client.credentials, target: "host/localhost", requirements: req)
      var asc: SSPI.AcceptResult?
      while true {
        show("InitializeSecurityContext", "\(isc.status.name), \(isc.token.count)-byte token")
        if isc.token.isEmpty { break }
        let a = try SSPI.acceptSecurityContext(
          credentials: server.credentials, context: asc?.context, input: .token(isc.token))
        asc = a
        show("AcceptSecurityContext", "\(a.status.name), \(a.token.count)-byte token")
        if isc.status == .ok || a.token.isEmpty { break }
        isc = try SSPI.initializeSecurityContext(
          credentials: client.credentials, context: isc.context, target: "host/localhost", requirements: req,
          input: .token(a.token))
        if isc.status == .ok && isc.token.isEmpty {
          show("InitializeSecurityContext", "\(isc.status.name)")
          break
        }
      }
      guard let ctx = asc?.context else { return }
      show(
        "negotiated",
        "\(ctx.negotiatedPackage?.rawValue ?? "?"), ASC_RET 0x\(String(ctx.acceptAttributes.rawValue, radix: 16))"
      )
      var m: SSPI.SecurityBufferDescriptor = [
        SSPI.SecurityBuffer(.token), SSPI.SecurityBuffer(.data, Array("hello, SSPI".utf8)),
        SSPI.SecurityBuffer(.padding),
      ]
      try isc.context.encryptMessage(&m)
      show(
        "EncryptMessage",
        "TOKEN \(m[0].bytes.count) + DATA \(m[1].bytes.count) + PADDING \(m[2].bytes.count) bytes")
      try ctx.decryptMessage(&m)
      show("DecryptMessage", "\"\(String(decoding: m[1].bytes, as: UTF8.self))\"")
      let token = try ctx.querySecurityContextToken()
      show("QuerySecurityContextToken", "\(ctx.tokenRule?.description ?? "-")")
      var formatter = WhoamiFormatter()
      formatter.names = SSPICommand.names(for: token, context: ctx)
      print(formatter.render(token, sections: [.user, .groups]))
    } catch {
      show("error", "\(error)")
    }
    show(
      "try",
      "scripts/test-realm shell, then ntsec sspi client --target host/localhost | … | ntsec sspi server --whoami"
    )
  }
}
