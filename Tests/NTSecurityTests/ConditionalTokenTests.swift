import Testing

@testable import NTSecurity

/// The binary and SDDL forms of each token type.
@Suite struct ConditionalTokenTests {
  static let artx: [UInt8] = [0x61, 0x72, 0x74, 0x78]

  static func parse(_ text: String, domain: SID? = nil) throws -> ConditionalExpression {
    let utf8 = Array(text.utf8)
    let (expression, end) = try ConditionalExpression.parseSDDL(utf8, at: 0, domain: domain)
    #expect(end == utf8.count, "parse of \(text) stopped at \(end)")
    return expression
  }

  /// The UTF-16LE bytes of a string token body, with its length prefix.
  static func utf16(_ s: String) -> [UInt8] {
    let units = Array(s.utf16)
    var out = [UInt8]()
    out.appendLE(UInt32(units.count * 2))
    for u in units { out.appendLE(u) }
    return out
  }

  static func padded(_ bytes: [UInt8]) -> [UInt8] {
    var out = artx + bytes
    while out.count % 4 != 0 { out.append(0) }
    return out
  }

  @Test func integerLiterals() throws {
    let cases: [(String, Int64, ConditionalIntegerSign, ConditionalIntegerBase)] = [
      ("1", 1, .none, .decimal), ("0", 0, .none, .decimal), ("+7", 7, .positive, .decimal),
      ("-7", -7, .negative, .decimal), ("0777", 0o777, .none, .octal), ("-012", -10, .negative, .octal),
      ("0x1F", 31, .none, .hexadecimal), ("-0x10", -16, .negative, .hexadecimal),
      ("0xffffffffffffffff", -1, .none, .hexadecimal),
      ("18446744073709551615", -1, .none, .decimal),
      ("-0x8000000000000000", Int64.min, .negative, .hexadecimal),
    ]
    for (literal, value, sign, base) in cases {
      let e = try Self.parse("(@User.n == \(literal))")
      #expect(
        e.tokens == [.userAttribute("n"), .int64(value, sign: sign, base: base), .operator(.equal)],
        "\(literal)")
      var body = [0xF9] + Self.utf16("n") + [0x04]
      body.appendLE(UInt64(bitPattern: value))
      body += [sign.rawValue, base.rawValue, 0x80]
      #expect(e.binary == Self.padded(body), "\(literal)")
      let canonical = literal == "0x1F" ? "0x1f" : literal
      #expect(try e.sddl() == "(@USER.n == \(canonical))")
    }
    // Numbers Windows writes for values it cannot have parsed keep their sign and base.
    #expect(
      try ConditionalExpression(tokens: [
        .localAttribute("a"), .int64(0, sign: .none, base: .octal), .operator(.lessThan),
      ]).sddl() == "(a < 00)")
    #expect(
      try ConditionalExpression(tokens: [
        .localAttribute("a"), .int16(-3, sign: .negative, base: .decimal), .operator(.lessThan),
      ]).sddl() == "(a < -3)")
  }

  @Test func stringsAndOctets() throws {
    let e = try Self.parse("(@User.s == \"caf\u{E9} \u{1F600}\")")
    #expect(e.tokens[1] == .unicodeString(UTF16String("caf\u{E9} \u{1F600}")))
    #expect(
      e.binary == Self.padded([0xF9] + Self.utf16("s") + [0x10] + Self.utf16("caf\u{E9} \u{1F600}") + [0x80]))
    #expect(try e.sddl() == "(@USER.s == \"caf\u{E9} \u{1F600}\")")

    let empty = try Self.parse("(@User.s == \"\")")
    #expect(empty.tokens[1] == .unicodeString(""))

    for (text, bytes) in [
      ("#0aFF", [0x0A, 0xFF]), ("##1#2", [0x01, 0x02]), ("#1#2#", [0x10, 0x20]),
      ("#1#2##", [0x01, 0x02, 0x00]),
      ("#abc", [0x0A, 0xBC]), ("#", []),
    ]
      as [(String, [UInt8])]
    {
      let o = try Self.parse("(x == \(text))")
      #expect(o.tokens[1] == .octetString(bytes), "\(text)")
    }
    let octets = ConditionalExpression(tokens: [
      .localAttribute("x"), .octetString([0xAB, 0x01]), .operator(.equal),
    ])
    #expect(try octets.sddl() == "(x == #ab01)")
    var body = [0xF8] + Self.utf16("x") + [0x18]
    body.appendLE(UInt32(2))
    body += [0xAB, 0x01, 0x80]
    #expect(octets.binary == Self.padded(body))

    // A lone surrogate survives text as WTF-8.
    let lone = ConditionalExpression(tokens: [
      .localAttribute("x"), .unicodeString(UTF16String(utf16: [0xD800, 0x41])), .operator(.equal),
    ])
    var text = [UInt8]()
    try lone.appendSDDL(to: &text, domain: nil)
    #expect(try ConditionalExpression.parseSDDL(text, at: 0, domain: nil).0 == lone)
  }

  @Test func sidsAndComposites() throws {
    let domain = try SID(parsing: "S-1-5-21-1-2-3")
    let e = try Self.parse("(Member_of {SID(BA), sid(s-1-5-21-1-2-3-512), SID( DU )})", domain: domain)
    let ba = try SID(parsing: "S-1-5-32-544")
    let da = try SID(parsing: "S-1-5-21-1-2-3-512")
    let du = try SID(parsing: "S-1-5-21-1-2-3-513")
    #expect(e.tokens == [.composite([.sid(ba), .sid(da), .sid(du)]), .operator(.memberOf)])
    #expect(try e.sddl(domain: domain) == "(Member_of {SID(BA), SID(DA), SID(DU)})")
    #expect(try e.sddl() == "(Member_of {SID(BA), SID(S-1-5-21-1-2-3-512), SID(S-1-5-21-1-2-3-513)})")
    var sidToken: [UInt8] = [0x51]
    sidToken.appendLE(UInt32(16))
    sidToken += ba.bytes
    var composite: [UInt8] = [0x50]
    composite.appendLE(UInt32(sidToken.count))
    let single = try Self.parse("(Member_of SID(BA))")
    #expect(single.tokens == [.sid(ba), .operator(.memberOf)])
    #expect(single.binary == Self.padded(sidToken + [0x89]))
    #expect(try Self.parse("(Member_of {SID(BA)})").binary == Self.padded(composite + sidToken + [0x89]))
    #expect(try single.sddl() == "(Member_of SID(BA))")

    let mixed = try Self.parse("(@Device.x Any_of {1, \"two\", #03, {4}, SID(WD)})")
    #expect(
      mixed.tokens[1]
        == .composite([
          .int64(1, sign: .none, base: .decimal), .unicodeString("two"), .octetString([3]),
          .composite([.int64(4, sign: .none, base: .decimal)]), .sid(try SID(parsing: "S-1-1-0")),
        ]))
    #expect(try mixed.sddl() == "(@DEVICE.x Any_of {1, \"two\", #03, {4}, SID(WD)})")
    #expect(try ConditionalExpression(binary: mixed.binary) == mixed)
    #expect(try Self.parse("(x == {})").tokens[1] == .composite([]))
  }

  /// SIDs are written from their bytes exactly as `SID.sddl(domain:)` writes them.
  @Test func sidsWrittenLikeSID() throws {
    let domain = try SID(parsing: "S-1-5-21-1-2-3")
    var sids = SDDLAlias.all.compactMap(\.fixed)
    for rid: UInt32 in [498, 500, 512, 513, 519, 553, 554, 1000] { sids.append(try domain.appending(rid)) }
    sids += try [
      "S-1-5", "S-1-0-0", "S-1-5-32", "S-1-5-32-1234", "S-1-16-8193", "S-1-5-84-0-0-0-0-1",
      "S-1-0x123456789abc-7", "S-1-4294967295-4294967295", "S-1-5-21-1-2", "S-1-5-21-1-2-3-4-512",
    ].map { try SID(parsing: $0) }
    for sid in sids {
      for d in [nil, domain] {
        let e = ConditionalExpression(tokens: [.sid(sid), .operator(.memberOf)])
        #expect(try e.sddl(domain: d) == "(Member_of SID(\(sid.sddl(domain: d))))")
      }
    }
  }

  @Test func attributes() throws {
    let e = try Self.parse("(@user.a && @DEVICE.b && @Resource.c && local_name:/.1)")
    #expect(
      e.tokens == [
        .userAttribute("a"), .deviceAttribute("b"), .operator(.and), .resourceAttribute("c"),
        .operator(.and), .localAttribute("local_name:/.1"), .operator(.and),
      ])
    #expect(
      e.binary
        == Self.padded(
          [0xF9] + Self.utf16("a") + [0xFB] + Self.utf16("b") + [0xA0, 0xFA] + Self.utf16("c") + [0xA0, 0xF8]
            + Self.utf16("local_name:/.1") + [0xA0]))
    #expect(try e.sddl() == "((((@USER.a) && (@DEVICE.b)) && (@RESOURCE.c)) && (local_name:/.1))")

    // Escapes: %hhhh is one UTF-16 code unit; special characters are escaped on output.
    let escaped = try Self.parse("(@User.a%0020b%0028%00e9;}{,@x == 1)")
    #expect(escaped.tokens[0] == .userAttribute(UTF16String("a b(\u{E9};}{,@x")))
    #expect(try escaped.sddl() == "(@USER.a%0020b%0028%00e9;}{%002c@x == 1)")
    let raw = try Self.parse("(@User.\u{E9}t\u{E9} == 1)")
    #expect(raw.tokens[0] == .userAttribute("\u{E9}t\u{E9}"))
    #expect(try raw.sddl() == "(@USER.%00e9t%00e9 == 1)")
  }

  @Test func everyOperator() throws {
    let binary: [(String, ConditionalOperator)] = [
      ("==", .equal), ("!=", .notEqual), ("<", .lessThan), ("<=", .lessThanOrEqual), (">", .greaterThan),
      (">=", .greaterThanOrEqual), ("Contains", .contains), ("Any_of", .anyOf),
      ("Not_Contains", .notContains), ("Not_Any_of", .notAnyOf),
    ]
    for (name, op) in binary {
      let e = try Self.parse("(@User.a \(name) @Resource.b)")
      #expect(e.tokens == [.userAttribute("a"), .resourceAttribute("b"), .operator(op)], "\(name)")
      #expect(e.binary.last(where: { $0 != 0 }) == op.rawValue)
      #expect(try e.sddl() == "(@USER.a \(name) @RESOURCE.b)")
    }
    let membership: [(String, ConditionalOperator)] = [
      ("Member_of", .memberOf), ("Device_Member_of", .deviceMemberOf), ("Member_of_any", .memberOfAny),
      ("Device_Member_of_Any", .deviceMemberOfAny), ("Not_Member_of", .notMemberOf),
      ("Not_Device_Member_of", .notDeviceMemberOf), ("Not_Member_of_Any", .notMemberOfAny),
      ("Not_Device_Member_of_Any", .notDeviceMemberOfAny),
    ]
    for (name, op) in membership {
      let e = try Self.parse("(\(name.uppercased()){SID(WD)})")
      #expect(e.tokens == [.composite([.sid(try SID(parsing: "S-1-1-0"))]), .operator(op)], "\(name)")
      #expect(try e.sddl() == "(\(name) {SID(WD)})")
    }
    for (name, op) in [("Exists", ConditionalOperator.exists), ("Not_Exists", .notExists)] {
      let e = try Self.parse("(\(name) @User.a)")
      #expect(e.tokens == [.userAttribute("a"), .operator(op)])
      #expect(try e.sddl() == "(\(name) @USER.a)")
      #expect(try Self.parse("(\(name.lowercased()) a)").tokens == [.localAttribute("a"), .operator(op)])
    }
    let not = try Self.parse("(!(a))")
    #expect(not.tokens == [.localAttribute("a"), .operator(.not)])
    #expect(not.binary == Self.padded([0xF8] + Self.utf16("a") + [0xA2]))
    #expect(try not.sddl() == "(!(a))")
    #expect(try Self.parse("(!@User.a)").tokens == [.userAttribute("a"), .operator(.not)])
    #expect(ConditionalOperator.allCases.count == 23)
    for code in UInt8.min...UInt8.max {
      let op = ConditionalOperator(rawValue: code)
      #expect(ConditionalOperator.isOperator(code) == (op != nil), "0x\(String(code, radix: 16))")
      if let op {
        #expect(ConditionalOperator.arity(ofCode: code) == op.arity)
        #expect(ConditionalOperator.isMembership(code: code) == op.sddlName.contains("Member_of"))
        #expect(op.sddlBytes == Array(op.sddlName.utf8))
      }
    }
  }

  @Test func precedenceAndParentheses() throws {
    let cases: [(String, String)] = [
      ("(a && b || c)", "(((a) && (b)) || (c))"),
      ("(a || b && c)", "((a) || ((b) && (c)))"),
      ("(a || b || c)", "(((a) || (b)) || (c))"),
      ("(a && (b || c))", "((a) && ((b) || (c)))"),
      ("(!(a) && b)", "((!(a)) && (b))"),
      ("(!(a && b))", "(!((a) && (b)))"),
      (
        "(@User.x == 1 || @User.y < 2 && Member_of SID(BA))",
        "((@USER.x == 1) || ((@USER.y < 2) && (Member_of SID(BA))))"
      ),
      ("(Exists a && !(Not_Exists @User.b))", "((Exists a) && (!(Not_Exists @USER.b)))"),
      ("(  ( ( a ) )  )", "(a)"),
      ("(\t@User.a==@User.b\n)", "(@USER.a == @USER.b)"),
    ]
    for (input, output) in cases {
      let e = try Self.parse(input)
      #expect(try e.sddl() == output, "\(input)")
      #expect(try Self.parse(output) == e, "\(output)")
    }
    // Postfix order follows precedence.
    #expect(
      try Self.parse("(a || b && c)").tokens == [
        .localAttribute("a"), .localAttribute("b"), .localAttribute("c"), .operator(.and), .operator(.or),
      ])
  }

  @Test func parseStopsAtClosingParenthesis() throws {
    let text = Array("D:(XA;;FX;;;WD;(@User.a == \")(\") )(A;;;;;WD)".utf8)
    let start = 15
    let (e, end) = try ConditionalExpression.parseSDDL(text, at: start, domain: nil)
    #expect(e.tokens == [.userAttribute("a"), .unicodeString(")("), .operator(.equal)])
    #expect(end == 32)
    #expect(text[end] == UInt8(ascii: " "))
  }

  @Test func padding() throws {
    let e = try Self.parse("(a)")
    #expect(e.binary == Self.artx + [0xF8, 2, 0, 0, 0, 0x61, 0, 0])
    // Extra zero bytes beyond alignment are kept as padding tokens.
    let long = Self.artx + [0xF8, 2, 0, 0, 0, 0x61, 0, 0, 0, 0, 0, 0]
    let decoded = try ConditionalExpression(binary: long)
    #expect(decoded.tokens == [.localAttribute("a"), .padding, .padding, .padding, .padding])
    #expect(decoded.binary == long)
    #expect(try decoded.sddl() == "(a)")
    // Short padding is accepted too.
    #expect(try ConditionalExpression(binary: Self.artx + [0xF8, 2, 0, 0, 0, 0x61, 0]) == e)
  }
}
