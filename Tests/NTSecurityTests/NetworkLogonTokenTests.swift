import Testing

@testable import NTSecurity

/// A hand-assembled NDR stream (MS-RPCE 2.2.6): common + private headers around `body`.
func ndrStream(_ body: [UInt8]) -> [UInt8] {
  var out: [UInt8] = [0x01, 0x10, 0x08, 0x00, 0xCC, 0xCC, 0xCC, 0xCC]
  var padded = body
  while padded.count % 8 != 0 { padded.append(0) }
  out.appendLE(UInt32(padded.count))
  out.appendLE(UInt32(0))
  return out + padded
}

/// An NDR `RPC_SID` referent: the sub-authority count as conformance, then the SID.
func ndrSID(_ s: SID) -> [UInt8] {
  var out = [UInt8]()
  out.appendLE(UInt32(s.subAuthorityCount))
  return out + s.bytes
}

func le(_ values: UInt32...) -> [UInt8] {
  var out = [UInt8]()
  for v in values { out.appendLE(v) }
  return out
}

/// The gokrb5 cross-domain KERB_VALIDATION_INFO wrapped in a PAC, with its UserFlags replaced.
func trustPAC(userFlags: UInt32? = nil) -> [UInt8] {
  var info = PACVectors.gokrb5LogonInfoTrust
  // 16 header bytes, the top-level referent, 6 FILETIMEs, 6 RPC_UNICODE_STRINGs, two USHORTs,
  // UserId, PrimaryGroupId, GroupCount, GroupIds pointer: UserFlags is at 136.
  if let userFlags { info.storeLE(userFlags, at: 136) }
  return makePAC([(1, info)])
}

@Suite("Network logon token from a PAC")
struct NetworkLogonTokenTests {
  let on = GroupAttributes([.mandatory, .enabledByDefault, .enabled])
  let domain = sid("S-1-5-21-3167651404-3865080224-2280184895")

  @Test("gokrb5's PAC: user, primary group, Windows' group order, Medium, no privileges")
  func basicToken() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    let token = try AccessToken(networkLogonFrom: pac)
    #expect(token.user.sid == (try domain.appending(1105)))
    #expect(token.user.attributes == [])
    #expect(token.primaryGroup == (try domain.appending(513)))
    #expect(token.owner == token.user.sid)
    // Order as Windows' whoami /groups lists a network logon: Everyone, local aliases, NETWORK,
    // Authenticated Users, This Organization, the PAC's groups, the label.
    let resource = GroupAttributes(rawValue: 0x2000_0007)
    #expect(
      token.groups == [
        SIDAndAttributes(.everyone, on),
        SIDAndAttributes(.builtinUsers, on),
        SIDAndAttributes(sid("S-1-5-2"), on),
        SIDAndAttributes(.authenticatedUsers, on),
        SIDAndAttributes(sid("S-1-5-15"), on),
        SIDAndAttributes(try domain.appending(513), on),
        SIDAndAttributes(try domain.appending(1108), on),
        SIDAndAttributes(try domain.appending(1109), on),
        SIDAndAttributes(try domain.appending(1115), on),
        SIDAndAttributes(try domain.appending(1116), on),
        SIDAndAttributes(try domain.appending(1114), resource),
        SIDAndAttributes(try domain.appending(1111), resource),
        SIDAndAttributes(.mediumLabel, [.integrity, .integrityEnabled]),
      ])
    // Privileges come from LSA policy, which this library does not have yet.
    #expect(token.privileges.isEmpty)
    #expect(token.type == .impersonation && token.impersonationLevel == .impersonation)
    #expect(token.source.name == "Kerberos")
    #expect(token.logonSID == nil)
    #expect(token.isMember(try domain.appending(1114)))
  }

  @Test(
    "MS-PAC 2.5: resource groups (ResourceGroupDomainSid + ResourceGroupIds) join when LOGON_RESOURCE_GROUPS is set"
  )
  func resourceGroups() throws {
    let token = try AccessToken(networkLogonFrom: PAC(bytes: trustPAC()))
    let resourceDomain = sid("S-1-5-21-3062750306-1230139592-1973306805")
    let resource = GroupAttributes(rawValue: 0x2000_0007)
    #expect(token.groups.contains(SIDAndAttributes(try resourceDomain.appending(1107), resource)))
    #expect(token.groups.contains(SIDAndAttributes(try resourceDomain.appending(1108), resource)))
    // MS-SFU 3.2.5.1.2 / MS-KILE: the KDC asserts S-1-18-1 (or S-1-18-2 for S4U) in ExtraSids;
    // the token carries what the PAC says and adds neither itself.
    #expect(token.groups.contains(SIDAndAttributes(sid("S-1-18-1"), on)))
    #expect(!token.groups.contains { $0.sid == sid("S-1-18-2") })
    let fromGokrb5 = try AccessToken(networkLogonFrom: PAC(bytes: PACVectors.gokrb5Win2kPAC))
    #expect(!fromGokrb5.groups.contains { $0.sid == sid("S-1-18-1") })
  }

  @Test("MS-PAC 2.5 UserFlags D and H: without them ExtraSids and resource groups are ignored")
  func flagsGateLists() throws {
    let token = try AccessToken(networkLogonFrom: PAC(bytes: trustPAC(userFlags: 0)))
    #expect(!token.groups.contains { $0.sid == sid("S-1-18-1") })
    #expect(!token.groups.contains { $0.sid.isInDomain(sid("S-1-5-21-3062750306-1230139592-1973306805")) })
    let onlyExtra = try AccessToken(networkLogonFrom: PAC(bytes: trustPAC(userFlags: 0x20)))
    #expect(onlyExtra.groups.contains { $0.sid == sid("S-1-18-1") })
    #expect(
      !onlyExtra.groups.contains { $0.sid.isInDomain(sid("S-1-5-21-3062750306-1230139592-1973306805")) })
  }

  @Test(
    "MS-PAC 2.2.1: undefined attribute bits are ignored; a PAC cannot add a label, logon SID or deny-only group"
  )
  func undefinedAttributeBits() throws {
    var info = PACVectors.gokrb5LogonInfoTrust
    // The one ExtraSid (S-1-18-1, attributes 7): make it S-1-16-16384 with integrity bits, and
    // give the first GroupId logon-ID and deny-only bits.
    let extra = try #require(findSequence(info, [1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0x12, 1, 0, 0, 0]))
    info[extra + 11] = 16
    info.storeLE(UInt32(0x4000), at: extra + 12)
    let attributesAt = try #require(findSequence(info, [0x30, 0, 2, 0, 7, 0, 0, 0])) + 4
    info.storeLE(UInt32(0x67), at: attributesAt)
    let groupAt = try #require(findSequence(info, [0x56, 0x04, 0, 0, 7, 0, 0, 0])) + 4
    info.storeLE(UInt32(0xC000_0017), at: groupAt)
    let token = try AccessToken(networkLogonFrom: PAC(bytes: makePAC([(1, info)])))
    #expect(token.integrityLevel == .mediumLabel)
    #expect(token.groups.filter { $0.attributes.contains(.integrity) }.count == 1)
    #expect(token.groups.contains(SIDAndAttributes(sid("S-1-16-16384"), on)))
    #expect(token.logonSID == nil)
    let g1110 = token.groups.first { $0.sid == sid("S-1-5-21-2284869408-3503417140-1141177250-1110") }
    #expect(g1110?.attributes == on)
  }

  @Test("MS-DTYP 2.4.2.4: NTLM adds S-1-5-64-10 (SChannel 64-14, Digest 64-21); Kerberos adds none")
  func packageSIDs() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    let ntlm = try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: .ntlm))
    #expect(ntlm.groups.suffix(2).map(\.sid) == [sid("S-1-5-64-10"), .mediumLabel])
    #expect(ntlm.source.name == "NtLmSsp")
    let digest = try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: .digest))
    #expect(digest.groups.contains { $0.sid == sid("S-1-5-64-21") })
    let schannel = try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: .schannel))
    #expect(schannel.groups.contains { $0.sid == sid("S-1-5-64-14") })
    let kerberos = try AccessToken(networkLogonFrom: pac)
    #expect(!kerberos.groups.contains { $0.sid.identifierAuthority == 5 && $0.sid[subAuthority: 0] == 64 })
  }

  @Test("MS-DTYP 2.4.2.4: Other Organization (S-1-5-1000) replaces This Organization (S-1-5-15)")
  func otherOrganization() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    let token = try AccessToken(
      networkLogonFrom: pac, options: NetworkLogonOptions(isOtherOrganization: true))
    #expect(token.groups.contains { $0.sid == sid("S-1-5-1000") })
    #expect(!token.groups.contains { $0.sid == sid("S-1-5-15") })
  }

  @Test("LOGON_GUEST: no Authenticated Users, so not BUILTIN\\Users by its default membership either")
  func guestLogon() throws {
    let token = try AccessToken(networkLogonFrom: PAC(bytes: trustPAC(userFlags: 0x1)))
    #expect(!token.groups.contains { $0.sid == .authenticatedUsers })
    #expect(!token.groups.contains { $0.sid == .builtinUsers })
    #expect(token.groups.contains { $0.sid == sid("S-1-5-2") })
  }

  @Test(
    "local groups: Domain Admins in BUILTIN\\Administrators makes the token High, owned by Administrators")
  func administrators() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    var options = NetworkLogonOptions()
    options.localGroups[.builtinAdministrators] = [try domain.appending(1108)]
    let token = try AccessToken(networkLogonFrom: pac, options: options)
    #expect(token.groups[1] == SIDAndAttributes(.builtinAdministrators, on.union(.owner)))
    #expect(token.groups[2].sid == .builtinUsers)
    #expect(token.integrityLevel == .highLabel)
    #expect(token.owner == .builtinAdministrators)
    options.localGroups[.builtinAdministrators] = [try domain.appending(512)]
    #expect(try AccessToken(networkLogonFrom: pac, options: options).integrityLevel == .mediumLabel)
  }

  @Test("a logon SID S-1-5-5-X-Y only when asked, from the logon session's LUID")
  func logonSID() throws {
    let pac = try PAC(bytes: PACVectors.gokrb5Win2kPAC)
    let session = LUID(lowPart: 0x1234, highPart: 0)
    let token = try AccessToken(
      networkLogonFrom: pac, options: NetworkLogonOptions(includesLogonSID: true, authenticationID: session))
    #expect(token.logonSID == sid("S-1-5-5-0-4660"))
    #expect(token.statistics.authenticationID == session)
    #expect(token.groups.first { $0.attributes.contains(.logonID) }?.attributes == on.union(.logonID))
  }

  @Test("user claims from CLIENT_CLAIMS_INFO, device groups and claims from DEVICE_INFO / DEVICE_CLAIMS_INFO")
  func claimsAndDevice() throws {
    let deviceDomain = sid("S-1-5-21-1-2-3")
    var body = le(0x0002_0000, 1201, 515, 0x0002_0004, 1, 0x0002_0008, 1, 0x0002_000C, 1, 0x0002_0010)
    body += ndrSID(deviceDomain)
    body += le(1, 515, 7)  // AccountGroupIds
    body += le(1, 0x0002_0014, 7) + ndrSID(sid("S-1-18-1"))  // ExtraSids
    body += le(1, 0x0002_0018, 1, 0x0002_001C) + ndrSID(sid("S-1-5-21-9-9-9")) + le(1, 1000, 0x2000_0007)
    let device = ndrStream(body)
    let pacBytes = makePAC([
      (1, PACVectors.gokrb5LogonInfoTrust), (0xD, PACVectors.gokrb5ClaimsMulti), (0xE, device),
      (0xF, PACVectors.gokrb5ClaimsString),
    ])
    let pac = try PAC(bytes: pacBytes)
    let info = try #require(pac.deviceInfo)
    #expect(info.userID == 1201 && info.primaryGroupID == 515 && info.accountDomainID == deviceDomain)
    let token = try AccessToken(networkLogonFrom: pac)
    #expect(
      token.userClaims == [
        ClaimSecurityAttribute(name: "ad://ext/msDS-SupportedE:88d5dea8f1af5f19", values: .int64([28])),
        ClaimSecurityAttribute(
          name: "ad://ext/sAMAccountName:88d5d9085ea5c0c0", values: .string(["testuser1"])),
      ])
    #expect(token.deviceClaims.map(\.name) == ["ad://ext/sAMAccountName:88d5d9085ea5c0c0"])
    #expect(
      token.deviceGroups == [
        SIDAndAttributes(sid("S-1-5-21-1-2-3-1201"), on),
        SIDAndAttributes(sid("S-1-5-21-1-2-3-515"), on),
        SIDAndAttributes(sid("S-1-18-1"), on),
        SIDAndAttributes(sid("S-1-5-21-9-9-9-1000"), GroupAttributes(rawValue: 0x2000_0007)),
      ])
  }

  @Test("AccessCheck with a PAC's token: a grant to one of its groups succeeds, a deny to another fails")
  func accessCheck() throws {
    let token = try AccessToken(networkLogonFrom: PAC(bytes: PACVectors.sambaMarshalledPAC))
    let domain = "S-1-5-21-1111111111-2222222222-3333333333"
    // 1105: a GroupIds group; 3001: a resource group (ResourceGroupIds); 1200: an ExtraSid.
    for group in ["\(domain)-1105", "S-1-5-21-3444444444-555555555-666666666-3001", "\(domain)-1200"] {
      let grant = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(group))")
      let allowed = try AccessCheck.evaluate(token: token, descriptor: grant, desired: .fileReadData)
      #expect(allowed.isGranted, "\(group)")
      let deny = try SecurityDescriptor(sddl: "O:BAG:BAD:(D;;FR;;;\(group))(A;;FR;;;WD)")
      let denied = try AccessCheck.evaluate(token: token, descriptor: deny, desired: .fileReadData)
      #expect(denied.status == .accessDenied, "\(group)")
    }
    let other = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(domain)-9999)")
    #expect(try !AccessCheck.evaluate(token: token, descriptor: other, desired: .fileReadData).isGranted)
  }

  @Test("a PAC without LOGON_INFO cannot make a token: ERROR_INVALID_DATA")
  func noLogonInfo() throws {
    let pac = try PAC(
      bytes: makePAC([(0xA, PACVectors.hex("808dd1dc80c6d2011200740065007300740075007300650072003100"))]))
    #expect(pac.clientInfo?.name == "testuser1")
    #expect(throws: NTSecurityError.self) { try AccessToken(networkLogonFrom: pac) }
    do { _ = try AccessToken(networkLogonFrom: pac) } catch { #expect(error.code == .invalidData) }
  }

  @Test("the PAC names its user and its domain's well-known groups")
  func accountNames() throws {
    let names = try PAC(bytes: PACVectors.gokrb5Win2kPAC).accountNames
    #expect(names[try domain.appending(1105)] == "TEST\\testuser1")
    #expect(names[try domain.appending(513)] == "TEST\\Domain Users")
    #expect(names[try domain.appending(1108)] == nil)
  }
}
