import GSSAPI
import NTSecurityTesting

/// The tour's Kerberos part: a throwaway MIT realm on 127.0.0.1 and a GSS-API exchange in it.
enum TourKerberos {
  static func run(section: (String) -> Void, show: (String, String) -> Void) {
    section("Kerberos through GSS-API, on a throwaway realm")
    guard let realm = startTourRealm(show: show) else { return }
    defer { realm.stop() }
    show(
      "realm",
      "\(KerberosTestRealm.realmName), krb5kdc on 127.0.0.1:\(realm.kdcPort), in \(realm.directory.path)")
    do {
      let target = try GSSAPI.importName(
        KerberosTestRealm.hostService, type: GSSAPI.NameType.hostbasedService)
      let flags: GSSAPI.RequirementFlags = [
        .mutualAuthentication, .replayDetection, .confidentiality, .integrity,
      ]
      var step = try GSSAPI.initSecurityContext(
        target: target, mechanism: GSSAPI.MechanismType.kerberos, flags: flags)
      show(
        "init_sec_context", "AP-REQ token, \(step.token?.count ?? 0) bytes (user@NTSEC.TEST's TGT from kinit)"
      )
      let accepted = try GSSAPI.acceptSecurityContext(inputToken: step.token ?? [])
      show(
        "accept_sec_context",
        "initiator \(accepted.initiatorName?.description ?? "?"), AP-REP \(accepted.token?.count ?? 0) bytes")
      step = try GSSAPI.initSecurityContext(
        target: target, context: step.context, mechanism: GSSAPI.MechanismType.kerberos, flags: flags,
        inputToken: accepted.token)
      show(
        "established",
        "mech \(step.mechanism?.name ?? "?"), flags \(step.flags), \(step.lifetime ?? 0) s left")
      let wrapped = try GSSAPI.wrap(step.context, message: Array("hello, Kerberos".utf8))
      let unwrapped = try GSSAPI.unwrap(accepted.context, message: wrapped.message)
      show(
        "wrap → unwrap",
        "\(wrapped.message.count)-byte token, encrypted \(wrapped.encrypted) → \"\(String(decoding: unwrapped.message, as: UTF8.self))\""
      )
      let mic = try GSSAPI.getMIC(accepted.context, message: [1, 2, 3])
      try GSSAPI.verifyMIC(step.context, message: [1, 2, 3], token: mic)
      show("get_mic → verify_mic", "\(mic.count)-byte MIC verified")
      let key = try GSSAPI.inquireSecurityContext(step.context, byOID: GSSAPI.OID.krb5InquireSSPISessionKey)
      show(
        "session key (SSPI OID)",
        "\(key.first?.count ?? 0) bytes, enctype OID \(key.count > 1 ? GSSAPI.OID(bytes: key[1]).dotted : "-")"
      )
      if let client = accepted.initiatorName {
        let attrs = try GSSAPI.inquireName(client).attributes
        show("the client's name attributes (RFC 6680)", attrs.joined(separator: " "))
      }
      do {
        try GSSAPI.verifyMIC(step.context, message: [1, 2, 4], token: mic)
      } catch { show("a MIC over other bytes", "\(error.pythonName): \(error)") }
    } catch {
      show("error", "\(error)")
    }
    show(
      "try", "scripts/test-realm shell, then ntsec gss init --target host@localhost | … | ntsec gss accept")
  }
}
