import ArgumentParser
import CKeyring
import NTSecIO
import NTSecurity

/// `ntsec tour`: a short guided run of what the project can do, on embedded defaults.
struct TourCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour", abstract: "A guided run of NTSecurity's capabilities on embedded defaults.")

  func run() throws {
    // A new session keyring of its own: CRED_PERSIST_SESSION credentials the tour writes or lists
    // are never the login session's (keyctl join-session).
    let ownSessionKeyring = ntsec_join_session_keyring(nil) > 0
    let domain = try SID(parsing: "S-1-5-21-2457507606-2709100691-398136650")
    func section(_ title: String) { print("\n== \(title) ==") }
    func show(_ label: String, _ value: String) { print("  \(label): \(value)") }

    print("NTSecurity tour: Windows security descriptors, SIDs and SDDL in pure Swift.")

    section("SIDs")
    let admins = try SID(parsing: "S-1-5-32-544")
    show("parse S-1-5-32-544", "\(admins) = \(admins.wellKnownAccountName() ?? "?"), alias \(admins.sddl())")
    show("binary form", admins.bytes.hexString)
    show("hex input S-1-0x5-0x12", try SID(parsing: "S-1-0x5-0x12").description)
    show(
      "CreateWellKnownSid(WinAccountDomainAdminsSid)",
      try SID.wellKnown(.accountDomainAdminsSid, domain: domain).description)
    show("alias DA with domain \(domain)", try SID(parsing: "DA", domain: domain).description)
    do { _ = try SID(parsing: "DA") } catch { show("alias DA without a domain", "\(error)") }

    section("SDDL → binary → SDDL")
    let sddl = "O:BAG:SYD:PAI(A;;FA;;;SY)(A;OICI;0x1200a9;;;BU)(D;;WD;;;AN)(A;OICIIO;GA;;;CO)S:(ML;;NW;;;LW)"
    let sd = try SecurityDescriptor(sddl: sddl, domain: domain)
    show("input", sddl)
    show("self-relative bytes (\(sd.length))", sd.bytes.hexString)
    show("back to SDDL", try SecurityDescriptor(bytes: sd.bytes).sddl(domain: domain))
    show("owner and DACL only", try sd.sddl(domain: domain, including: [.owner, .dacl]))
    show("label only", try sd.sddl(domain: domain, including: .label))

    section("Canonical form")
    for text in [
      "D:(A;;GRGWGX;;;WD)(A;;0x1F01FF;;;BA)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;DA)",
      "D:NO_ACCESS_CONTROL", "D:",
    ] {
      show(text, try SecurityDescriptor(sddl: text, domain: domain).sddl(domain: domain))
    }

    section("Conditional and resource attribute ACEs")
    let conditional =
      "D:(XA;;FX;;;WD;(@User.Title == \"PM\" && (@User.Division == \"Finance\" || Member_of {SID(BA)})))"
      + "S:(RA;;;;;WD;(\"Project\",TS,0x0,\"Alpha\",\"Beta\"))"
    let csd = try SecurityDescriptor(sddl: conditional, domain: domain)
    show("input", conditional)
    show("bytes", csd.bytes.hexString)
    show("round trip", try SecurityDescriptor(bytes: csd.bytes).sddl(domain: domain))

    section("Explained")
    print(
      try DescriptorExplainer(domain: domain).text(sd).split(separator: "\n").map { "  " + $0 }
        .joined(separator: "\n"))

    section("Errors name the Windows code and the offset")
    for bad in ["D:(A;;FA;;;SY", "O:XYG:BA", "D:(Q;;FA;;;SY)", "D:(A;;FA;;;S-1-5-)"] {
      do { _ = try SecurityDescriptor(sddl: bad, domain: domain) } catch { show(bad, "\(error)") }
    }
    try tourTokens()
    TourKerberos.run(section: section, show: show)
    TourSSPI.run(section: section, show: show)
    try credentialTour(ownSessionKeyring: ownSessionKeyring, section: section, show: show)
    print(
      "\nMore: ntsec sddl explain 'SDDL', ntsec sid well-known, ntsec gss mechs, ntsec sspi packages, ntsec cred --help, ntsec --help"
    )
  }
}

extension TourCommand {
  /// Privileges, an access token, and a restricted version of it.
  func tourTokens() throws {
    func section(_ title: String) { print("\n== \(title) ==") }
    func show(_ label: String, _ value: String) { print("  \(label): \(value)") }

    section("Privileges")
    for name in ["SeBackupPrivilege", "sechangenotifyprivilege", "SeInteractiveLogonRight"] {
      do {
        let p = try Privilege.named(name)
        show("LookupPrivilegeValue(\(name))", "\(p.luid.value) = \(p.name), \"\(p.displayName)\"")
      } catch { show("LookupPrivilegeValue(\(name))", "\(error) (an account right, not a privilege)") }
    }

    section("An access token and CreateRestrictedToken")
    let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
    var token = AccessToken(
      user: user,
      groups: [
        SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled]),
        SIDAndAttributes(.builtinAdministrators, [.mandatory, .enabledByDefault, .enabled]),
        SIDAndAttributes(.builtinUsers, [.mandatory, .enabledByDefault, .enabled]),
      ],
      privileges: [
        LUIDAndAttributes(.changeNotify, [.enabledByDefault, .enabled]),
        LUIDAndAttributes(.backup), LUIDAndAttributes(.takeOwnership),
      ])
    show("token", token.jsonLine)
    let adjusted = token.adjustPrivileges(newState: [
      LUIDAndAttributes(.backup, .enabled), LUIDAndAttributes(.tcb, .enabled),
    ])
    show(
      "AdjustTokenPrivileges(+SeBackup, +SeTcb)",
      "\(adjusted.status.name), previous state \(adjusted.previousState.map { "\($0.privilege?.name ?? "?")=\($0.attributes.rawValue)" })"
    )
    show("CheckTokenMembership(BA)", "\(token.isMember(.builtinAdministrators))")
    let restricted = try token.restricted(
      disabling: [.builtinAdministrators], restricting: [.everyone, .builtinUsers],
      flags: [.disableMaxPrivilege])
    show(
      "CreateRestrictedToken(disable BA, restrict WD+BU, DISABLE_MAX_PRIVILEGE)", restricted.jsonLine
    )
    show("CheckTokenMembership(BA) now", "\(restricted.isMember(.builtinAdministrators)) (deny-only)")
    show("CheckTokenMembership(\(user)) now", "\(restricted.isMember(user)) (not a restricting SID)")

    section("AccessCheck")
    let folder =
      "O:BAG:SYD:(A;;FA;;;BA)(A;;0x1200a9;;;BU)(D;;WD;;;WD)(XA;;FW;;;WD;(@User.Title == \"PM\"))"
    show("descriptor", folder)
    let plain = AccessToken(
      user: user, groups: [SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled])])
    var pm = plain
    pm.userClaims = [ClaimSecurityAttribute(name: "Title", values: .string(["PM"]))]
    let checks: [(String, AccessToken, AccessMask)] = [
      ("administrator, FILE_GENERIC_READ", token, .fileGenericRead),
      ("administrator, MAXIMUM_ALLOWED", token, .maximumAllowed),
      ("restricted token, MAXIMUM_ALLOWED", restricted, .maximumAllowed),
      ("restricted token, WRITE_DAC", restricted, .writeDAC),
      ("a user in Everyone only, FILE_WRITE_DATA", plain, .fileWriteData),
      ("the same user with the claim Title=PM, FILE_WRITE_DATA", pm, .fileWriteData),
    ]
    do {
      let sd = try SecurityDescriptor(sddl: folder)
      for (label, who, desired) in checks {
        let result = try AccessCheck.evaluate(token: who, descriptor: sd, desired: desired)
        show(label, "\(result.status.name), granted 0x\(String(result.granted.rawValue, radix: 16))")
      }
      let labelled = try SecurityDescriptor(sddl: folder + "S:(ML;;NW;;;HI)")
      let up = try AccessCheck.evaluate(token: token, descriptor: labelled, desired: .maximumAllowed)
      show(
        "with label S:(ML;;NW;;;HI), the Medium administrator, MAXIMUM_ALLOWED",
        "\(up.status.name), granted 0x\(String(up.granted.rawValue, radix: 16)) (no write up)")
    } catch { show("AccessCheck", "\(error)") }
  }
}
