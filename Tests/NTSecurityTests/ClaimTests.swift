import Testing

@testable import NTSecurity

/// Parses a whole SDDL resource attribute, requiring it to end the text.
private func parse(_ s: String, domain: SID? = nil) throws -> ClaimSecurityAttribute {
  let text = Array(s.utf8)
  let (attribute, end) = try ClaimSecurityAttribute.parseSDDL(text, at: 0, domain: domain)
  #expect(end == text.count, "\(s)")
  return attribute
}

/// Checks binary and SDDL round trips of an attribute.
private func roundTrip(_ a: ClaimSecurityAttribute, sourceLocation: SourceLocation = #_sourceLocation)
  throws
{
  let bytes = a.relativeBytes
  #expect(bytes.count % 4 == 0, sourceLocation: sourceLocation)
  #expect(try ClaimSecurityAttribute(relativeBytes: bytes) == a, sourceLocation: sourceLocation)
  #expect(try parse(a.sddl) == a, "\(a.sddl)", sourceLocation: sourceLocation)
}

@Suite struct ClaimValueTypeTests {
  @Test func layoutMatchesWindows() throws {
    let a = try parse(#"("ab",TU,0x0,1)"#)
    #expect(a.valueType == 2)
    #expect(
      a.relativeBytes == [
        0x14, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,  // name at 20, TU, flags 0, 1 value
        0x1a, 0, 0, 0,  // value at 26: right after the name, unaligned
        0x61, 0, 0x62, 0, 0, 0,  // "ab\0"
        1, 0, 0, 0, 0, 0, 0, 0,  // 1
        0, 0,  // padding to a multiple of 4
      ])
  }

  @Test func int64() throws {
    let a = try parse(#"("n",TI,0x0,-1,0,9223372036854775807,-9223372036854775808)"#)
    #expect(a.values == .int64([-1, 0, .max, .min]))
    #expect(a.valueType == 0x1)
    #expect(a.sddl == #"("n",TI,0x0,-1,0,9223372036854775807,-9223372036854775808)"#)
    try roundTrip(a)
  }

  @Test func uint64() throws {
    let a = try parse(#"("n",TU,0x0,0,-0,18446744073709551615,0x10,010)"#)
    #expect(a.values == .uint64([0, 0, .max, 16, 8]))
    #expect(a.valueType == 0x2)
    #expect(a.sddl == #"("n",TU,0x0,0,0,18446744073709551615,16,8)"#)
    try roundTrip(a)
  }

  @Test func cStyleIntegers() throws {
    // Decimal, leading-0 octal, 0x/0X hex, explicit signs, whitespace around commas.
    let a = try parse(#"("n",TI,0x0,+5, -0x10 ,077,0X1f,0 )"#)
    #expect(a.values == .int64([5, -16, 63, 31, 0]))
  }

  @Test func string() throws {
    let a = try parse(#"("n",TS,0x0,"blue","", "a,b;(c)","é")"#)
    #expect(a.values == .string(["blue", "", "a,b;(c)", "é"]))
    #expect(a.valueType == 0x3)
    #expect(a.sddl == #"("n",TS,0x0,"blue","","a,b;(c)","é")"#)
    try roundTrip(a)
  }

  @Test func sid() throws {
    let a = try parse(#"("n",TD,0x0,BA,S-1-5-21-1-2-3-500,s-1-1-0)"#)
    #expect(a.valueType == 0x5)
    // Stored as the ASCII string form, without a NUL.
    #expect(
      a.values == .sid([Array("S-1-5-32-544".utf8), Array("S-1-5-21-1-2-3-500".utf8), Array("S-1-1-0".utf8)]))
    #expect(
      a.values.decodedSIDs == [
        try SID(parsing: "BA"), try SID(parsing: "S-1-5-21-1-2-3-500"), try SID(parsing: "WD"),
      ])
    #expect(a.sddl == #"("n",TD,0x0,BA,S-1-5-21-1-2-3-500,WD)"#)
    var out = [UInt8]()
    a.appendSDDL(to: &out, domain: try SID(parsing: "S-1-5-21-1-2-3"))
    #expect(String(decoding: out, as: UTF8.self) == #"("n",TD,0x0,BA,LA,WD)"#)
    try roundTrip(a)
    #expect(ClaimValues.sids([try SID(parsing: "SY")]) == .sid([Array("S-1-5-18".utf8)]))
  }

  @Test func sidDomainAliases() throws {
    let domain = try SID(parsing: "S-1-5-21-1-2-3")
    let a = try parse(#"("n",TD,0x0,DA)"#, domain: domain)
    #expect(a.values.decodedSIDs == [try SID(parsing: "S-1-5-21-1-2-3-512")])
    let error = #expect(throws: NTSecurityError.self) { try parse(#"("n",TD,0x0,DA)"#) }
    #expect(error?.code == .noneMapped)
    #expect(error?.offset == 12)
  }

  @Test func sidPayloadForms() throws {
    // A binary SID or a NUL-terminated string also reads as a SID; anything else is written as hex.
    let binary = try SID(parsing: "S-1-5-32-544").bytes
    let a = ClaimSecurityAttribute(
      name: "n", values: .sid([binary, Array("S-1-5-18\0".utf8), [1, 2, 0xab]]))
    #expect(a.sddl == #"("n",TD,0x0,BA,SY,0102ab)"#)
    #expect(try ClaimSecurityAttribute(relativeBytes: a.relativeBytes) == a)
  }

  @Test func boolean() throws {
    let a = try parse(#"("n",TB,0x0,0,1,00,0x1)"#)
    #expect(a.values == .boolean([0, 1, 0, 1]))
    #expect(a.valueType == 0x6)
    #expect(a.sddl == #"("n",TB,0x0,0,1,0,1)"#)
    try roundTrip(a)
    #expect(ClaimValues.booleans([true, false]) == .boolean([1, 0]))
    // A stored value other than 0 or 1 reads back and is written as 1.
    let odd = ClaimSecurityAttribute(name: "n", values: .boolean([7]))
    #expect(try ClaimSecurityAttribute(relativeBytes: odd.relativeBytes) == odd)
    #expect(odd.sddl == #"("n",TB,0x0,1)"#)
  }

  @Test func octetString() throws {
    // '#' reads as 0; an odd digit count gains a leading 0; upper and lower case both work.
    let a = try parse(#"("n",TX,0x0,0077,abc,##,#1,FF,0)"#)
    #expect(a.values == .octetString([[0x00, 0x77], [0x0a, 0xbc], [0], [0x01], [0xff], [0]]))
    #expect(a.valueType == 0x10)
    #expect(a.sddl == #"("n",TX,0x0,0077,0abc,00,01,ff,00)"#)
    try roundTrip(a)
  }

  @Test func emptyOctetStringDecodes() throws {
    let a = ClaimSecurityAttribute(name: "n", values: .octetString([[]]))
    #expect(try ClaimSecurityAttribute(relativeBytes: a.relativeBytes) == a)
  }

  @Test func parseStopsAtClosingParenthesis() throws {
    let text = Array(#"S:(RA;;;;;WD;("n",TI,0x0,1))rest"#.utf8)
    let (a, end) = try ClaimSecurityAttribute.parseSDDL(text, at: 13)
    #expect(a.values == .int64([1]))
    #expect(end == 27)
    #expect(text[end] == UInt8(ascii: ")"))
  }
}

@Suite struct ClaimFlagAndNameTests {
  @Test func flags() throws {
    #expect(try parse(#"("n",TI,0x3,1)"#).flags == [.nonInheritable, .valueCaseSensitive])
    #expect(try parse(#"("n",TI,3,1)"#).flags.rawValue == 3)
    #expect(try parse(#"("n",TI,010,1)"#).flags.rawValue == 8)  // octal
    #expect(try parse(#"("n",TI,0x3f,1)"#).flags.rawValue == 0x3f)
    #expect(try parse(#"("n",TI,0xffff00ff,1)"#).flags.rawValue == 0xffff_00ff)  // custom bits
    let all: ClaimSecurityAttributeFlags = [
      .nonInheritable, .valueCaseSensitive, .useForDenyOnly, .disabledByDefault, .disabled, .mandatory,
    ]
    #expect(all.rawValue == 0x3f)
    let a = ClaimSecurityAttribute(name: "n", flags: .init(rawValue: 0xabcd_0012), values: .int64([1]))
    #expect(a.sddl == #"("n",TI,0xabcd0012,1)"#)
    try roundTrip(a)
  }

  @Test func nameEscapes() throws {
    let a = try parse(#"("colOIr%0016%0020x",TU,0x0,1)"#)
    #expect(a.name == "colOIr\u{16} x")
    #expect(a.sddl == #"("colOIr%0016%0020x",TU,0x0,1)"#)
    // Characters that must be escaped on output, and raw UTF-8 on input.
    let b = try parse(#"("Dé😀#$'*+-;?@[\]^_`{}~:/.,",TS,0x0,"v")"#)
    #expect(b.name == #"Dé😀#$'*+-;?@[\]^_`{}~:/.,"#)
    #expect(b.sddl == #"("D%00e9%d83d%de00#$'*+-;?@[\]^_`{}~:/.,",TS,0x0,"v")"#)
    try roundTrip(b)
    let c = ClaimSecurityAttribute(name: #"a!"&()<=>|% b"#, values: .int64([1]))
    #expect(c.sddl == #"("a%0021%0022%0026%0028%0029%003c%003d%003e%007c%0025%0020b",TI,0x0,1)"#)
    try roundTrip(c)
  }

  @Test func whitespaceMayEndTheName() throws {
    #expect(try parse("(\"ab \t\",TI,0x0,1)").name == "ab")
  }

  @Test func longNames() throws {
    let name = String(repeating: "o", count: 5000)
    let a = try parse("(\"\(name)\",TI,0x0,1)")
    #expect(a.name == name)
    try roundTrip(a)
  }
}

@Suite struct ClaimMalformedTests {
  /// Malformed SDDL fails with ERROR_INVALID_PARAMETER at the offending character.
  @Test(arguments: [
    ("x", 0),
    ("(x", 1),
    (#"(""#, 2),
    (#"("",TI,0x0,1)"#, 2),
    (#"("a b",TI,0x0,1)"#, 4),
    (#"("a",XI,0x0,1)"#, 5),
    (#"("a",TZ,0x0,1)"#, 5),
    (#"("a",TI;0x0,1)"#, 7),
    (#"("a",TI,x,1)"#, 8),
    (#"("a",TI, 0,1)"#, 8),
    (#"("a",TI,0x100,1)"#, 8),
    (#"("a",TI,0x100000000,1)"#, 8),
    (#"("a",TI,-1,1)"#, 8),
    (#"("a",TI,0x0)"#, 11),
    (#"("a",TI,0x0,)"#, 12),
    (#"("a",TI,0x0,1,)"#, 14),
    (#"("a",TI,0x0,1 2)"#, 14),
    (#"("a",TI,0x0,1"#, 13),
    (#"("a",TI,0x0,12abc)"#, 14),
    (#"("a",TI,0x0,09)"#, 13),
    (#"("a",TI,0x0,9223372036854775808)"#, 12),
    (#"("a",TI,0x0,-9223372036854775809)"#, 12),
    (#"("a",TI,0x0,+-1)"#, 12),
    (#"("a",TU,0x0,-1)"#, 12),
    (#"("a",TU,0x0,18446744073709551616)"#, 12),
    (#"("a",TB,0x0,2)"#, 12),
    (#"("a",TS,0x0,abc)"#, 12),
    (#"("a",TS,0x0,"abc)"#, 12),
    (#"("a",TX,0x0,xyz)"#, 12),
    (#"("a",TX,0x0,0x12)"#, 13),
    (#"("%0041",TI,0x0,1)"#, 2),
    (#"("%004",TI,0x0,1)"#, 2),
    (#"("%zzzz",TI,0x0,1)"#, 2),
    (#"("%0000",TI,0x0,1)"#, 2),
    (#"("x%d800y",TI,0x0,1)"#, 3),
    (#"("x%dc00",TI,0x0,1)"#, 3),
    (#"("x%d800",TI,0x0,1)"#, 3),
  ])
  func malformedSDDL(_ input: String, _ offset: Int) {
    let error = #expect(throws: NTSecurityError.self, "\(input)") { try parse(input) }
    #expect(error?.code == .invalidParameter, "\(input)")
    #expect(error?.offset == offset, "\(input): \(String(describing: error))")
  }

  @Test func malformedSDDLBytes() {
    for bad: [UInt8] in [
      Array(#"(""#.utf8) + [0xFF] + Array(#"",TI,0x0,1)"#.utf8),
      Array(#"("a",TS,0x0,""#.utf8) + [0xC3, 0x28] + Array(#"")"#.utf8),
      Array(#"("a",TS,0x0,""#.utf8) + [0] + Array(#"")"#.utf8),
    ] {
      let error = #expect(throws: NTSecurityError.self) {
        try ClaimSecurityAttribute.parseSDDL(bad, at: 0)
      }
      #expect(error?.code == .invalidParameter)
    }
  }

  @Test func badSIDsInTD() {
    let error = #expect(throws: NTSecurityError.self) { try parse(#"("a",TD,0x0,XX)"#) }
    #expect(error?.code == .invalidSid)
    #expect(error?.offset == 12)
  }

  /// Malformed binary fails with ERROR_INVALID_ACL (what Windows reports for an ACL holding a bad
  /// ACE) at the byte offset of the bad field.
  @Test func malformedBytes() throws {
    let good = try parse(#"("ab",TX,0x0,0102)"#).relativeBytes
    func expectFailure(_ bytes: [UInt8], at offset: Int, _ comment: Comment) {
      let error = #expect(throws: NTSecurityError.self, comment) {
        try ClaimSecurityAttribute(relativeBytes: bytes)
      }
      #expect(error?.code == .invalidAcl, comment)
      #expect(error?.offset == offset, comment)
    }
    expectFailure([], at: 0, "empty")
    expectFailure(Array(good.prefix(15)), at: 12, "truncated header")
    var b = good
    b.storeLE(UInt32(100), at: 12)
    expectFailure(b, at: 12, "value count beyond the data")
    b = good
    b.storeLE(UInt32(200), at: 0)
    expectFailure(b, at: 0, "name offset out of range")
    b = Array(good.prefix(24))
    expectFailure(b, at: 20, "unterminated name")
    b = good
    b.storeLE(UInt16(4), at: 4)
    expectFailure(b, at: 4, "unknown value type")
    b = good
    b.storeLE(UInt32(0xffff_fff0), at: 16)
    expectFailure(b, at: 16, "value offset out of range")
    b = good
    b.storeLE(UInt32(50), at: 26)
    expectFailure(b, at: 26, "octet string overruns")
    b = good
    b[20] = 0
    b[21] = 0
    expectFailure(b, at: 20, "empty name")
    b = good
    b[20] = 0x00
    b[21] = 0xD8
    expectFailure(b, at: 20, "unpaired surrogate")
  }

  @Test func trailingBytesAreIgnored() throws {
    let a = try parse(#"("ab",TI,0x0,1)"#)
    #expect(try ClaimSecurityAttribute(relativeBytes: a.relativeBytes + [0, 0, 0, 0, 9]) == a)
  }
}
