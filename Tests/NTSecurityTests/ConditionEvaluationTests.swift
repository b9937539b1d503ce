import Testing

@testable import NTSecurity

/// Conditional ACE evaluation with MS-DTYP's semantics (2.4.4.17.6–7, 2.5.3.1.5).
@Suite struct ConditionEvaluationTests {
  static let domain = try! SID(parsing: "S-1-5-21-1-2-3")
  static let user = try! SID(parsing: "S-1-5-21-1-2-3-1001")
  static let denyOnlyGroup = try! SID(parsing: "S-1-5-21-1-2-3-2000")
  static let disabledGroup = try! SID(parsing: "S-1-5-21-1-2-3-2001")
  static let deviceGroup = try! SID(parsing: "S-1-5-21-1-2-3-3000")
  static let disabledDeviceGroup = try! SID(parsing: "S-1-5-21-1-2-3-3001")

  static let token = AccessToken(
    user: user,
    groups: [
      SIDAndAttributes(.builtinAdministrators, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(denyOnlyGroup, [.useForDenyOnly]),
      SIDAndAttributes(disabledGroup, [.mandatory]),
    ],
    userClaims: [
      ClaimSecurityAttribute(name: "Title", values: .string(["PM"])),
      ClaimSecurityAttribute(name: "Dept", values: .string(["Sales", "HR"])),
      ClaimSecurityAttribute(name: "Level", values: .int64([5])),
      ClaimSecurityAttribute(name: "Big", values: .uint64([UInt64.max])),
      ClaimSecurityAttribute(name: "Smartcard", values: .booleans([true])),
      ClaimSecurityAttribute(name: "Zero", values: .int64([0])),
      ClaimSecurityAttribute(name: "Empty", values: .string([""])),
      ClaimSecurityAttribute(name: "Code", flags: .valueCaseSensitive, values: .string(["AbC"])),
      ClaimSecurityAttribute(name: "Sid", values: .sids([.builtinAdministrators])),
      ClaimSecurityAttribute(name: "Blob", values: .octetString([[1, 2, 3]])),
      ClaimSecurityAttribute(name: "Off", flags: .disabled, values: .string(["x"])),
      ClaimSecurityAttribute(name: "DenyOnly", flags: .useForDenyOnly, values: .string(["x"])),
      ClaimSecurityAttribute(name: "Name", values: .string(["Ärger"])),
    ],
    deviceClaims: [
      ClaimSecurityAttribute(name: "Managed", values: .booleans([true])),
      ClaimSecurityAttribute(name: "OS", values: .string(["Windows"])),
    ],
    deviceGroups: [
      SIDAndAttributes(deviceGroup, [.mandatory, .enabled]),
      SIDAndAttributes(disabledDeviceGroup, [.mandatory]),
    ])

  static let resource: [ClaimSecurityAttribute] = [
    ClaimSecurityAttribute(name: "Dept", values: .string(["Sales"])),
    ClaimSecurityAttribute(name: "Required", values: .int64([3])),
    ClaimSecurityAttribute(name: "Dup", values: .string(["a", "A"])),
  ]

  static let context = ConditionContext(token: token, resourceAttributes: resource)

  static func parse(_ text: String) throws -> ConditionalExpression {
    let utf8 = Array(text.utf8)
    let (expression, end) = try ConditionalExpression.parseSDDL(utf8, at: 0, domain: domain)
    #expect(end == utf8.count, "parse of \(text) stopped at \(end)")
    return expression
  }

  static func eval(
    _ text: String, deny: Bool = false, in context: ConditionContext = context
  ) throws -> ConditionResult {
    try parse(text).evaluate(in: context, forDenyACE: deny)
  }

  /// Checks each expression against its expected outcome.
  static func check(_ cases: [(String, ConditionResult)], deny: Bool = false) throws {
    for (text, expected) in cases {
      #expect(try eval(text, deny: deny) == expected, "\(text)")
    }
  }

  // Operands with a known logical value.
  static let T = "(@User.Level == 5)"
  static let F = "(@User.Level == 4)"
  static let U = "(@User.Missing == 1)"

  @Test("&& and || follow the three-valued truth tables; ! keeps UNKNOWN")
  func threeValuedLogic() throws {
    let values: [(String, ConditionResult)] = [(Self.T, .true), (Self.F, .false), (Self.U, .unknown)]
    for (a, x) in values {
      #expect(try Self.eval("(!\(a))") == (x == .true ? .false : x == .false ? .true : .unknown))
      for (b, y) in values {
        let and: ConditionResult =
          x == .false || y == .false ? .false : x == .true && y == .true ? .true : .unknown
        let or: ConditionResult =
          x == .true || y == .true ? .true : x == .false && y == .false ? .false : .unknown
        #expect(try Self.eval("(\(a) && \(b))") == and, "\(a) && \(b)")
        #expect(try Self.eval("(\(a) || \(b))") == or, "\(a) || \(b)")
      }
    }
  }

  @Test("== and != on strings ignore case; CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE makes them exact")
  func stringEquality() throws {
    try Self.check([
      ("(@User.Title == \"PM\")", .true), ("(@User.Title == \"pm\")", .true),
      ("(@User.Title == \"PMX\")", .false), ("(@User.Title != \"pm\")", .false),
      ("(@User.Title != \"VP\")", .true), ("(@User.Code == \"AbC\")", .true),
      ("(@User.Code == \"abc\")", .false), ("(@User.Code != \"abc\")", .true),
      ("(@User.Name == \"äRGER\")", .true), ("(@User.title == \"PM\")", .true),
    ])
  }

  @Test("< <= > >= order numbers, strings (case-insensitively) and octet strings")
  func ordering() throws {
    try Self.check([
      ("(@User.Level > 3)", .true), ("(@User.Level < 3)", .false), ("(@User.Level >= 5)", .true),
      ("(@User.Level <= 4)", .false), ("(@User.Level <= 5)", .true), ("(@User.Level > -1)", .true),
      ("(@User.Level == 0x5)", .true), ("(@User.Level == 05)", .true),
      ("(@User.Title < \"Q\")", .true), ("(@User.Title > \"pa\")", .true),
      ("(@User.Title >= \"PMA\")", .false), ("(@User.Blob == #010203)", .true),
      ("(@User.Blob < #0104)", .true), ("(@User.Blob > #01)", .true), ("(@User.Blob < #010203)", .false),
    ])
  }

  @Test("uint64 claims compare by value; a literal written without a sign keeps its unsigned bits")
  func unsignedClaims() throws {
    try Self.check([
      ("(@User.Big > 0)", .true), ("(@User.Big == 0xffffffffffffffff)", .true),
      ("(@User.Big == 18446744073709551615)", .true), ("(@User.Big > -1)", .true),
      ("(@User.Big < 5)", .false),
    ])
  }

  @Test("Boolean claims equal the literals 1 and 0 only, and have no order")
  func booleanClaims() throws {
    try Self.check([
      ("(@User.Smartcard == 1)", .true), ("(@User.Smartcard == 0)", .false),
      ("(@User.Smartcard != 0)", .true), ("(@User.Smartcard == 2)", .unknown),
      ("(@User.Smartcard > 0)", .unknown), ("(@User.Smartcard)", .true), ("(@Device.Managed)", .true),
    ])
  }

  @Test("SID claims compare with SID literals for equality only")
  func sidClaims() throws {
    try Self.check([
      ("(@User.Sid == SID(BA))", .true), ("(@User.Sid == SID(BU))", .false),
      ("(@User.Sid != SID(BU))", .true), ("(@User.Sid > SID(BA))", .unknown),
      ("(@User.Sid == \"S-1-5-32-544\")", .unknown),
    ])
  }

  @Test("An attribute alone is TRUE for a nonzero integer or non-empty string, else FALSE or UNKNOWN")
  func logicalValueOfAttributes() throws {
    try Self.check([
      ("(@User.Level)", .true), ("(@User.Zero)", .false), ("(@User.Title)", .true),
      ("(@User.Empty)", .false), ("(@User.Sid)", .unknown), ("(@User.Blob)", .unknown),
      ("(@User.Dept)", .unknown), ("(@User.Missing)", .unknown), ("(!(@User.Zero))", .true),
    ])
  }

  @Test("Comparing incompatible types is UNKNOWN for that comparison only")
  func incompatibleTypes() throws {
    try Self.check([
      ("(@User.Title == 1)", .unknown), ("(@User.Level == \"5\")", .unknown),
      ("(@User.Level == #05)", .unknown), ("(@User.Title < SID(BA))", .unknown),
      ("((@User.Title == 1) || \(Self.T))", .true), ("((@User.Title == 1) && \(Self.F))", .false),
      ("(!(@User.Title == 1))", .unknown),
    ])
  }

  @Test("A missing attribute is NULL: comparisons are UNKNOWN, Exists is FALSE")
  func missingAttributes() throws {
    try Self.check([
      ("(@User.Missing == 1)", .unknown), ("(@User.Missing != 1)", .unknown),
      ("(@User.Missing < 1)", .unknown), ("(@User.Missing Contains 1)", .unknown),
      ("(@User.Missing Any_of {1, 2})", .unknown), ("(@User.Missing Not_Any_of {1, 2})", .unknown),
      ("(@User.Level == @Resource.Missing)", .unknown), ("(@Device.Title == \"PM\")", .unknown),
      ("(@Resource.Title == \"PM\")", .unknown), ("(Exists @User.Missing)", .false),
      ("(Not_Exists @User.Missing)", .true), ("(Exists @User.Title)", .true),
      ("(Not_Exists @User.Title)", .false), ("(Exists @Resource.Dept)", .true),
      ("(Exists @Device.OS)", .true), ("(Exists @Device.Title)", .false),
    ])
  }

  @Test("@Local and unprefixed attributes are never provided by a token: NULL")
  func localAttributes() throws {
    try Self.check([("(Title == \"PM\")", .unknown), ("(Exists Title)", .false), ("(Title)", .unknown)])
  }

  @Test("Disabled claims are absent; deny-only claims exist for deny ACEs only")
  func claimFlags() throws {
    try Self.check([("(Exists @User.Off)", .false), ("(Exists @User.DenyOnly)", .false)])
    try Self.check([("(Exists @User.DenyOnly)", .true), ("(@User.DenyOnly == \"X\")", .true)], deny: true)
  }

  @Test("Contains: every value on the right is among the attribute's values")
  func containsOperator() throws {
    try Self.check([
      ("(@User.Dept Contains \"sales\")", .true), ("(@User.Dept Contains {\"Sales\", \"HR\"})", .true),
      ("(@User.Dept Contains {\"Sales\", \"IT\"})", .false), ("(@User.Title Contains {\"PM\"})", .true),
      ("(@User.Dept Not_Contains {\"Sales\", \"IT\"})", .true),
      ("(@User.Dept Not_Contains \"HR\")", .false), ("(@User.Dept Contains 1)", .unknown),
      ("(@User.Level Contains {5, 5})", .true), ("(@User.Dept Contains @Resource.Dept)", .true),
    ])
  }

  @Test("Any_of: some value of the attribute is among the values on the right")
  func anyOfOperator() throws {
    try Self.check([
      ("(@User.Title Any_of {\"VP\", \"pm\"})", .true), ("(@User.Title Any_of {\"VP\"})", .false),
      ("(@User.Title Any_of \"PM\")", .true), ("(@User.Dept Any_of {\"IT\", \"hr\"})", .true),
      ("(@User.Dept Not_Any_of {\"IT\", \"hr\"})", .false), ("(@User.Dept Not_Any_of {\"IT\"})", .true),
      ("(@User.Level Any_of {1, 5})", .true), ("(@User.Level Any_of {\"1\", 5})", .unknown),
      ("(@User.Dept Any_of @Resource.Dept)", .true), ("(@User.Code Any_of {\"abc\", \"ABC\"})", .false),
    ])
  }

  @Test("== compares multi-valued attributes as sets; other comparisons of sets are UNKNOWN")
  func compositeEquality() throws {
    try Self.check([
      ("(@User.Dept == {\"HR\", \"Sales\"})", .true), ("(@User.Dept == {\"hr\", \"Sales\", \"HR\"})", .true),
      ("(@User.Dept == {\"HR\"})", .false), ("(@User.Dept == {\"HR\", \"Sales\", \"IT\"})", .false),
      ("(@User.Title == {\"PM\"})", .true), ("(@User.Dept != {\"HR\"})", .unknown),
      ("(@User.Dept < \"Z\")", .unknown), ("(@User.Level > {1})", .unknown),
      ("(@User.Dept == {\"HR\", 1})", .unknown),
    ])
  }

  @Test("Attributes compare with attributes: user, device and resource claims")
  func attributeAgainstAttribute() throws {
    try Self.check([
      ("(@User.Level >= @Resource.Required)", .true), ("(@User.Level < @Resource.Required)", .false),
      ("(@Device.OS == \"windows\")", .true), ("(@User.Dept Any_of @Resource.Dept)", .true),
      ("((@User.Smartcard == 1) || (@Device.Managed == 1))", .true),
    ])
  }

  @Test("A resource attribute that holds one value twice does not exist")
  func duplicateResourceValues() throws {
    try Self.check([("(Exists @Resource.Dup)", .false), ("(@Resource.Dup == \"a\")", .unknown)])
    var context = Self.context
    context.resourceAttributes = [
      ClaimSecurityAttribute(name: "Dup", flags: .valueCaseSensitive, values: .string(["a", "A"]))
    ]
    #expect(try Self.eval("(Exists @Resource.Dup)", in: context) == .true)
  }

  @Test("Member_of: all SIDs enabled in the pass; Member_of_Any: one; Not_ forms invert")
  func memberOf() throws {
    let disabled = "SID(\(Self.disabledGroup))"
    try Self.check([
      ("(Member_of {SID(BA)})", .true), ("(Member_of SID(BA))", .true),
      ("(Member_of {SID(BA), \(disabled)})", .false), ("(Member_of_Any {SID(BA), \(disabled)})", .true),
      ("(Member_of_Any {\(disabled), SID(BU)})", .false), ("(Not_Member_of {SID(BA)})", .false),
      ("(Not_Member_of {SID(BA), \(disabled)})", .true), ("(Not_Member_of_Any {\(disabled)})", .true),
      ("(Not_Member_of_Any {SID(BA), SID(BU)})", .false),
      ("(Member_of {SID(\(Self.user))})", .true),
    ])
  }

  /// Windows' rule (SDDL for conditional ACEs, Member_of): for an allow ACE a SID must be
  /// SE_GROUP_ENABLED to match; for a deny ACE SE_GROUP_ENABLED or SE_GROUP_USE_FOR_DENY_ONLY.
  @Test("Member_of counts deny-only SIDs for deny ACEs only; disabled SIDs never")
  func memberOfDenyOnly() throws {
    let denyOnly = "(Member_of {SID(\(Self.denyOnlyGroup))})"
    let disabled = "(Member_of {SID(\(Self.disabledGroup))})"
    #expect(try Self.eval(denyOnly) == .false)
    #expect(try Self.eval(denyOnly, deny: true) == .true)
    #expect(try Self.eval(disabled, deny: true) == .false)
    var context = Self.context
    context.forDenyACE = true
    #expect(try Self.parse(denyOnly).evaluate(in: context) == .true)
    // The user SID itself, once deny-only (CreateRestrictedToken), matches deny ACEs only.
    let restricted = try Self.token.restricted(disabling: [Self.user])
    let userTest = "(Member_of {SID(\(Self.user))})"
    #expect(try Self.eval(userTest, in: ConditionContext(token: restricted)) == .false)
    #expect(try Self.eval(userTest, deny: true, in: ConditionContext(token: restricted)) == .true)
  }

  @Test("Member_of in the restricted pass tests the restricting SIDs")
  func memberOfRestrictedPass() throws {
    let context = ConditionContext(
      token: Self.token, sids: [SIDAndAttributes(.everyone, [.mandatory, .enabled])])
    #expect(try Self.eval("(Member_of {SID(BA)})", in: context) == .false)
    #expect(try Self.eval("(Member_of {SID(WD)})", in: context) == .true)
  }

  @Test("PRINCIPAL_SELF in a SID literal stands for the principal-self SID of the check")
  func principalSelf() throws {
    let text = "(Member_of {SID(PS)})"
    #expect(try Self.eval(text) == .false)
    var context = Self.context
    context.principalSelf = Self.user
    #expect(try Self.eval(text, in: context) == .true)
    context.principalSelf = .everyone
    #expect(try Self.eval(text, in: context) == .false)
    context.principalSelf = .builtinAdministrators
    #expect(try Self.eval("(@User.Sid == SID(PS))", in: context) == .true)
  }

  @Test("Device_Member_of tests the token's enabled device groups, not the user's")
  func deviceMemberOf() throws {
    let on = "SID(\(Self.deviceGroup))"
    let off = "SID(\(Self.disabledDeviceGroup))"
    try Self.check([
      ("(Device_Member_of {\(on)})", .true), ("(Device_Member_of {\(off)})", .false),
      ("(Device_Member_of_Any {\(on), \(off)})", .true), ("(Device_Member_of {\(on), \(off)})", .false),
      ("(Not_Device_Member_of {\(on)})", .false), ("(Not_Device_Member_of_Any {\(off)})", .true),
      ("(Device_Member_of {SID(BA)})", .false), ("(Member_of {\(on)})", .false),
      ("(Device_Member_of {SID(\(Self.user))})", .false),
    ])
  }

  @Test("Integer literals of every width compare by value")
  func integerWidths() throws {
    for token: ConditionalToken in [
      .int8(5, sign: .none, base: .decimal), .int16(5, sign: .positive, base: .octal),
      .int32(5, sign: .none, base: .hexadecimal), .int64(5, sign: .none, base: .decimal),
    ] {
      let e = ConditionalExpression(tokens: [.userAttribute("Level"), token, .operator(.equal)])
      #expect(e.evaluate(in: Self.context) == .true, "\(token)")
    }
  }

  @Test("A processing error makes the whole expression UNKNOWN, whatever the rest says")
  func processingErrors() throws {
    let t: [ConditionalToken] = [
      .userAttribute("Level"), .int64(5, sign: .none, base: .decimal), .operator(.equal),
    ]
    let one = ConditionalToken.int64(1, sign: .none, base: .decimal)
    let cases: [[ConditionalToken]] = [
      t + [one, .operator(.not), .operator(.or)],  // ! on a literal
      t + [one, .operator(.or)],  // || on a literal
      [one],  // a literal alone
      [.unicodeString("PM"), .userAttribute("Title"), .operator(.equal)],  // literal on the left
      t + [.unicodeString("x"), .operator(.memberOf), .operator(.or)],  // Member_of on a string
      t + [.composite([.sid(.everyone), one]), .operator(.memberOf), .operator(.or)],
      t + [.composite([]), .operator(.memberOfAny), .operator(.or)],
      t + [.userAttribute("Level"), .operator(.memberOf), .operator(.or)],
      t + [one, .operator(.exists), .operator(.or)],  // Exists on a literal
      t + [t[0], t[1], t[2], .operator(.exists), .operator(.or)],  // Exists on a result
      t + [t[0], t[1], t[2], .operator(.equal), .operator(.or)],  // == with a result on the right
      t + t,  // two values left
      [.operator(.and)], [.userAttribute("Level"), .operator(.equal)], [],
    ]
    for tokens in cases {
      #expect(ConditionalExpression(tokens: tokens).evaluate(in: Self.context) == .unknown, "\(tokens)")
    }
    // Sanity: the valid part alone is TRUE.
    #expect(ConditionalExpression(tokens: t + t + [.operator(.or)]).evaluate(in: Self.context) == .true)
  }

  @Test("Malformed bytes evaluate to UNKNOWN and never crash")
  func malformedBytes() throws {
    let valid = try Self.parse(
      "((@User.Dept Any_of {\"IT\", \"hr\"}) && (Member_of {SID(BA), SID(WD)}) || (@User.Level >= 0x3))"
    ).binary
    #expect(ConditionalExpression(storage: valid).evaluate(in: Self.context) == .true)
    // Every truncation, and every single-byte change.
    for n in 0..<valid.count {
      _ = ConditionalExpression(storage: Array(valid[0..<n])).evaluate(in: Self.context)
    }
    for k in 0..<valid.count {
      for value in [0, 1, 0x50, 0x7F, 0x80, 0xA2, 0xFF] as [UInt8] {
        var bytes = valid
        bytes[k] = value
        _ = ConditionalExpression(storage: bytes).evaluate(in: Self.context)
      }
    }
    for bytes: [UInt8] in [
      [], [0x61, 0x72, 0x74], [0x61, 0x72, 0x74, 0x79, 0x87], [0x61, 0x72, 0x74, 0x78],
    ] {
      #expect(ConditionalExpression(storage: bytes).evaluate(in: Self.context) == .unknown)
    }
    // Random token streams from a fixed generator.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<20000 {
      var bytes: [UInt8] = [0x61, 0x72, 0x74, 0x78]
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let length = Int(state >> 58)
      for _ in 0..<length {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let r = UInt8(truncatingIfNeeded: state >> 33)
        // Favour token codes and small lengths so that streams get past the first token.
        let codes: [UInt8] = [0x01, 0x04, 0x10, 0x18, 0x50, 0x51, 0xF9, 0x80, 0x87, 0x89, 0xA0, 0xA2, 0]
        bytes.append(r & 1 == 0 ? codes[Int(r >> 1) % codes.count] : r >> 4)
      }
      _ = ConditionalExpression(storage: bytes).evaluate(in: Self.context)
    }
  }

  @Test("Strings order by upper-cased UTF-16 code units, a prefix first; the ASCII fast path agrees")
  func textOrder() {
    #expect(ConditionText.compare("pm".utf16, "PM".utf16, caseSensitive: false) == 0)
    #expect(ConditionText.compare("pm".utf16, "PM".utf16, caseSensitive: true) > 0)
    #expect(ConditionText.compare("PM".utf16, "pma".utf16, caseSensitive: false) < 0)
    #expect(ConditionText.compare("ärger".utf16, "ÄRGER".utf16, caseSensitive: false) == 0)
    #expect(ConditionText.compare("b".utf16, "A".utf16, caseSensitive: false) > 0)
    let words = [
      "", "a", "A", "ab", "Ab", "b", "PM", "pm", "pmx", "Ärger", "äRGER", "z", "ß", "SS", "😀", "a😀", "_",
    ]
    for x in words {
      var bytes = [UInt8]()
      for u in x.utf16 { bytes.appendLE(u) }
      for y in words {
        for caseSensitive in [false, true] {
          let expected = ConditionText.compare(x.utf16, y.utf16, caseSensitive: caseSensitive)
          let fast = bytes.withUnsafeBufferPointer {
            ConditionText.compare(
              ConditionText.LiteralUnits(bytes: $0, start: 0, stop: $0.count), y,
              caseSensitive: caseSensitive)
          }
          #expect(fast.signum() == expected.signum(), "\(x) vs \(y), case-sensitive \(caseSensitive)")
        }
      }
    }
  }

  @Test("Of two claims with the same name (any case), the first counts")
  func duplicateClaimNames() throws {
    var token = Self.token
    token.userClaims = [
      ClaimSecurityAttribute(name: "Level", values: .int64([1])),
      ClaimSecurityAttribute(name: "LEVEL", values: .int64([2])),
    ]
    let context = ConditionContext(token: token)
    #expect(try Self.eval("(@User.level == 1)", in: context) == .true)
    #expect(try Self.eval("(@User.level == 2)", in: context) == .false)
  }

  @Test("Expressions read from a descriptor's callback ACEs evaluate the same way")
  func fromSecurityDescriptor() throws {
    let sd = try SecurityDescriptor(
      sddl: "O:BAG:BAD:(XA;;FA;;;WD;(@User.Title == \"PM\"))(XD;;FA;;;WD;(Member_of {SID(BU)}))")
    let aces = try #require(sd.dacl?.aces)
    let allow = try ConditionalExpression(binary: aces[0].applicationData)
    let deny = try ConditionalExpression(binary: aces[1].applicationData)
    #expect(allow.evaluate(in: Self.context) == .true)
    #expect(deny.evaluate(in: Self.context, forDenyACE: true) == .false)
  }
}
