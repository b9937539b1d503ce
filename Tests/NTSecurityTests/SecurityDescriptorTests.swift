import TestPeers
import Testing

@testable import NTSecurity

@Suite struct SecurityDescriptorTests {
  let system = try! SID(parsing: "S-1-5-18")
  let admins = try! SID(parsing: "S-1-5-32-544")

  @Test func nullAbsentAndEmptyDACLAreDistinct() throws {
    let absent = try SecurityDescriptor(sddl: "O:SY")
    let null = try SecurityDescriptor(sddl: "O:SYD:NO_ACCESS_CONTROL")
    let empty = try SecurityDescriptor(sddl: "O:SYD:")
    #expect(!absent.control.contains(.daclPresent) && absent.dacl == nil)
    #expect(null.hasNullDACL && null.dacl == nil)
    #expect(empty.control.contains(.daclPresent) && empty.dacl?.aces.isEmpty == true)
    #expect(Set([absent.bytes, null.bytes, empty.bytes]).count == 3)
    for sd in [absent, null, empty] {
      let decoded = try SecurityDescriptor(bytes: sd.bytes)
      #expect(decoded == sd)
    }
    #expect(try null.sddl() == "O:SYD:NO_ACCESS_CONTROL")
    #expect(try empty.sddl() == "O:SYD:")
    #expect(try absent.sddl() == "O:SY")
    #expect(try SecurityDescriptor(sddl: "D:PAINO_ACCESS_CONTROL").sddl() == "D:PAINO_ACCESS_CONTROL")
  }

  @Test func windowsLayoutIsSACLDACLOwnerGroup() throws {
    let sd = try SecurityDescriptor(sddl: "O:BAG:SYD:(A;;FA;;;SY)S:(AU;SA;FA;;;WD)")
    let b = sd.bytes
    func offset(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    #expect(offset(12) == 20)
    #expect(offset(16) > offset(12) && offset(4) > offset(16) && offset(8) > offset(4))
    #expect(UInt16(b[2]) | UInt16(b[3]) << 8 == 0x8014)
  }

  @Test func readerAcceptsAnyComponentOrderAndOversizeACLs() throws {
    // Hand-built: header, then group, owner, DACL (with 8 spare bytes) in an unusual order.
    var bytes: [UInt8] = [1, 0, 0x04, 0x80]
    let group = system.bytes
    let owner = admins.bytes
    let ace = ACE.allow(system, .fileAllAccess).bytes
    let groupAt = 20
    let ownerAt = groupAt + group.count
    let daclAt = ownerAt + owner.count
    bytes.appendLE(UInt32(ownerAt))
    bytes.appendLE(UInt32(groupAt))
    bytes.appendLE(UInt32(0))
    bytes.appendLE(UInt32(daclAt))
    bytes += group + owner
    bytes += [2, 0] + [UInt8(8 + ace.count + 8), 0] + [1, 0, 0, 0] + ace + [UInt8](repeating: 0, count: 8)
    let sd = try SecurityDescriptor(bytes: bytes)
    #expect(sd.owner == admins && sd.group == system)
    #expect(sd.dacl?.aces.count == 1 && sd.dacl?.slack.count == 8)
    #expect(try sd.sddl() == "O:BAG:SYD:(A;;FA;;;SY)")
    #expect(try SecurityDescriptor(bytes: sd.bytes) == sd)
  }

  @Test func unknownACETypesRoundTripAsOpaqueBytes() throws {
    let opaque = ACE(
      unknownType: ACEType(rawValue: 0x42), flags: [.inherited], body: [9, 8, 7, 6, 5, 4, 3, 2])
    let sd = SecurityDescriptor(owner: system, dacl: ACL(aces: [opaque, .allow(admins, .genericRead)]))
    let decoded = try SecurityDescriptor(bytes: sd.bytes)
    #expect(decoded.dacl?.aces[0] == opaque)
    #expect(decoded.bytes == sd.bytes)
    #expect(throws: NTSecurityError.self) { try sd.sddl() }
  }

  @Test func aclRevisionFollowsObjectACEs() throws {
    #expect(try SecurityDescriptor(sddl: "D:(A;;RP;;;WD)").dacl?.revision == 2)
    let ds = try SecurityDescriptor(sddl: "D:(OA;;RP;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)")
    #expect(ds.dacl?.revision == 4)
    var acl = ACL()
    #expect(acl.revision == 2)
    acl.append(ACE(type: .accessAllowedObject, mask: .dsReadProperty, sid: system))
    #expect(acl.revision == 4)
  }

  @Test func malformedBinaryIsATypedError() {
    let cases: [([UInt8], WindowsError)] = [
      ([], .invalidSecurityDescriptor),
      ([2, 0, 0, 0x80] + [UInt8](repeating: 0, count: 16), .unknownRevision),
      ([1, 0, 4, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0], .invalidSecurityDescriptor),
      (
        [1, 0, 4, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0x40, 0, 0, 0, 0, 0],
        .invalidAcl
      ),
      (
        [1, 0, 4, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 9, 0, 8, 0, 0, 0, 0, 0], .invalidAcl
      ),
    ]
    for (bytes, code) in cases {
      let error = #expect(throws: NTSecurityError.self) { try SecurityDescriptor(bytes: bytes) }
      #expect(error?.code == code, "\(bytes)")
    }
  }

  @Test func randomBytesNeverCrash() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<20000 {
      var bytes = [UInt8](repeating: 0, count: Int.random(in: 0..<120, using: &rng))
      for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
      if bytes.count > 4 {
        bytes[0] = 1
        bytes[3] |= 0x80
      }
      if let sd = try? SecurityDescriptor(bytes: bytes) {
        #expect((try? SecurityDescriptor(bytes: sd.bytes)) == sd)
        _ = try? sd.sddl()
      }
    }
  }

  @Test func mapGenericMask() {
    #expect(AccessMask.genericRead.mapped(by: .file) == .fileGenericRead)
    #expect(AccessMask.genericAll.mapped(by: .registryKey) == .keyAllAccess)
    #expect(
      AccessMask([.genericWrite, .delete]).mapped(by: .file) == AccessMask.fileGenericWrite.union(.delete))
    #expect(AccessMask.genericExecute.mapped(by: .token) == .tokenExecute)
    #expect(AccessMask.genericAll.mapped(by: .directoryServiceObject).rawValue == 0xF01FF)
    #expect(AccessMask(rawValue: 0x20).mapped(by: .process).rawValue == 0x20)
  }

  @Test func securityInformationSelectsParts() throws {
    let sd = try SecurityDescriptor(
      sddl: "O:BAG:SYD:P(A;;FA;;;SY)S:AI(AU;SA;FA;;;WD)(ML;;NWNR;;;HI)(RA;;;;;WD;(\"x\",TI,0x0,1))")
    #expect(try sd.sddl(including: .owner) == "O:BA")
    #expect(try sd.sddl(including: [.group, .dacl]) == "G:SYD:P(A;;FA;;;SY)")
    #expect(try sd.sddl(including: .label) == "S:(ML;;NWNR;;;HI)")
    #expect(try sd.sddl(including: .attribute) == "S:(RA;;;;;WD;(\"x\",TI,0x0,1))")
    #expect(try sd.sddl(including: .sacl) == "S:AI(AU;SA;FA;;;WD)(ML;;NWNR;;;HI)(RA;;;;;WD;(\"x\",TI,0x0,1))")
  }
}

@Suite struct SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: a header without SE_SELF_RELATIVE decodes to a self-relative value,
  /// so decode(encode(x)) == x.
  @Test func controlWithoutSelfRelative() throws {
    let bytes: [UInt8] = [1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 2, 0, 0x2c, 0x34]
    let sd = try SecurityDescriptor(bytes: bytes)
    #expect(sd.control == .selfRelative)
    #expect(sd.dacl == nil && sd.resourceManagerControl == 5)
    #expect(try SecurityDescriptor(bytes: sd.bytes) == sd)
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: a callback ACE whose condition is one literal printed as
  /// `({SID(BA)})`, which does not parse; such a condition has no SDDL form.
  @Test func literalConditionHasNoSDDL() throws {
    let condition = ConditionalExpression(tokens: [.composite([.sid(try SID(parsing: "BA"))])])
    let ace = ACE(
      type: .accessAllowedCallback, mask: .fileGenericRead, sid: try SID(parsing: "AA"),
      applicationData: condition.binary)
    let sd = SecurityDescriptor(dacl: ACL(aces: [ace]))
    #expect(try SecurityDescriptor(bytes: sd.bytes) == sd)
    let error = #expect(throws: NTSecurityError.self) { try sd.sddl() }
    #expect(error?.code == .invalidAceCondition)
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: a resource attribute with an empty `TX` value printed as `,,`, which
  /// does not parse; values SDDL cannot express make the writer fail instead.
  @Test func claimsSDDLCannotExpress() throws {
    let world = try SID(parsing: "WD")
    let cases: [(ClaimValues, ClaimSecurityAttributeFlags)] = [
      (.octetString([[1], []]), []), (.string(["a\"b"]), []), (.int64([]), []),
      (.string(["x"]), ClaimSecurityAttributeFlags(rawValue: 0xF00)),
    ]
    for (values, flags) in cases {
      let claim = ClaimSecurityAttribute(name: "c", flags: flags, values: values)
      let ace = ACE(
        type: .systemResourceAttribute, mask: [], sid: world, applicationData: claim.relativeBytes)
      let sd = SecurityDescriptor(sacl: ACL(aces: [ace]))
      #expect(try SecurityDescriptor(bytes: sd.bytes) == sd)
      let error = #expect(throws: NTSecurityError.self, "\(values)") { try sd.sddl() }
      #expect(error?.code == .invalidParameter)
    }
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: an alarm ACE in a DACL printed as SDDL that the parser (like Windows)
  /// rejects; the writer now refuses it. A lone ACE prints in the ACL kind it belongs to.
  @Test func systemACEInDACL() throws {
    let admins = try SID(parsing: "BA")
    let alarm = ACE(type: .systemAlarm, mask: .writeDAC, sid: admins)
    let sd = SecurityDescriptor(dacl: ACL(aces: [alarm]))
    let error = #expect(throws: NTSecurityError.self) { try sd.sddl() }
    #expect(error?.code == .invalidAcl)
    #expect(try alarm.sddl() == "(AL;;WD;;;BA)")
    // A resource attribute ACE must be for Everyone (WD) to have an SDDL form.
    let claim = ClaimSecurityAttribute(name: "c", values: .int64([1]))
    let ra = ACE(type: .systemResourceAttribute, mask: [], sid: admins, applicationData: claim.relativeBytes)
    #expect(throws: NTSecurityError.self) { try SecurityDescriptor(sacl: ACL(aces: [ra])).sddl() }
    #expect(try ACE.allow(admins, .fileAllAccess).sddl() == "(A;;FA;;;BA)")
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: `&&` with a literal operand printed as `(@RESOURCE.x && ({SID(WD)}))`,
  /// which does not parse; such a condition has no SDDL form.
  @Test func literalOperandOfLogicalOperator() throws {
    let condition = ConditionalExpression(tokens: [
      .resourceAttribute("x"), .composite([.sid(try SID(parsing: "WD"))]), .operator(.and),
    ])
    let error = #expect(throws: NTSecurityError.self) { try condition.sddl() }
    #expect(error?.code == .invalidAceCondition)
    let fine = ConditionalExpression(tokens: [.resourceAttribute("x"), .userAttribute("y"), .operator(.or)])
    #expect(try fine.sddl() == "((@RESOURCE.x) || (@USER.y))")
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: `<` comparing with a `Device_Member_of` result printed as text that
  /// does not parse; comparisons of operation results have no SDDL form.
  @Test func operationAsComparisonOperand() throws {
    let condition = ConditionalExpression(tokens: [
      .deviceAttribute("l"), .composite([.sid(try SID(parsing: "AA"))]), .operator(.deviceMemberOf),
      .operator(.lessThan),
    ])
    let error = #expect(throws: NTSecurityError.self) { try condition.sddl() }
    #expect(error?.code == .invalidAceCondition)
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSecurityDescriptor: `Not_Member_of_Any @RESOURCE.c` does not parse; a Member_of operand
  /// that is an attribute has no SDDL form.
  @Test func memberOfAttribute() throws {
    let condition = ConditionalExpression(tokens: [.resourceAttribute("c"), .operator(.notMemberOfAny)])
    let error = #expect(throws: NTSecurityError.self) { try condition.sddl() }
    #expect(error?.code == .invalidAceCondition)
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// The writer keeps to what the grammar can say (text that breaks it would not parse back):
  /// comparisons start with an attribute, Exists takes an attribute, no local attribute on the
  /// right of a comparison.
  @Test func comparisonShapes() throws {
    let one = ConditionalToken.int64(1, sign: .none, base: .decimal)
    let bad: [[ConditionalToken]] = [
      [one, .userAttribute("a"), .operator(.equal)],
      [.unicodeString("x"), .userAttribute("a"), .operator(.contains)],
      [one, .operator(.exists)],
      [.userAttribute("a"), .localAttribute("b"), .operator(.lessThan)],
    ]
    for tokens in bad {
      #expect(throws: NTSecurityError.self, "\(tokens)") { try ConditionalExpression(tokens: tokens).sddl() }
    }
    let good = ConditionalExpression(tokens: [.localAttribute("a"), .userAttribute("b"), .operator(.equal)])
    #expect(try good.sddl() == "(a == @USER.b)")
  }
}

extension SecurityDescriptorFuzzRegressions {
  /// FuzzSDDL: a chained comparison Windows takes, `(a >= @RESOURCE.x >= @RESOURCE.y)`, must print
  /// (its left side is an operation, which the grammar allows there).
  @Test func chainedComparisonPrints() throws {
    let text = "D:(XD;OI;;;;IS;(qP6 >= @RESOURCE.x >= @RESOURCE.y))"
    let sd = try SecurityDescriptor(sddl: text)
    let printed = try sd.sddl()
    #expect(try SecurityDescriptor(sddl: printed).bytes == sd.bytes)
  }
}
