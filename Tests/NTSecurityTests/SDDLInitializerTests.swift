import NTSecurity
import Testing

/// The public SDDL initializers of conditions and resource attributes: the whole text is one
/// condition or attribute, as written by `sddl(domain:)`.
@Suite struct SDDLInitializerTests {
  static let domain = try! SID(parsing: "S-1-5-21-1-2-3")

  @Test func conditionReadsWholeText() throws {
    let text = #"((@USER.Title == "PM") && (Member_of {SID(DA)}))"#
    let expression = try ConditionalExpression(sddl: text, domain: Self.domain)
    #expect(try expression.sddl(domain: Self.domain) == text)
    #expect(try ConditionalExpression(binary: expression.binary) == expression)
  }

  @Test func conditionRejectsTrailingText() {
    let text = #"(@USER.Title == "PM") x"#
    #expect {
      try ConditionalExpression(sddl: text)
    } throws: { error in
      let e = error as? NTSecurityError
      return e?.code == .invalidAceCondition && e?.offset == 21
    }
  }

  @Test func conditionWithDomainAliasNeedsDomain() {
    #expect(throws: NTSecurityError.self) { try ConditionalExpression(sddl: "(Member_of {SID(DA)})") }
  }

  @Test func attributeReadsWholeText() throws {
    let attribute = try ClaimSecurityAttribute(
      sddl: #"("Project",TD,0x0,DA,S-1-5-32-544)"#, domain: Self.domain)
    #expect(attribute.name == "Project")
    #expect(
      attribute.values.decodedSIDs == [
        try SID(parsing: "S-1-5-21-1-2-3-512"), try SID(parsing: "S-1-5-32-544"),
      ])
    #expect(attribute.sddl(domain: Self.domain) == #"("Project",TD,0x0,DA,BA)"#)
    #expect(attribute.sddl == #"("Project",TD,0x0,S-1-5-21-1-2-3-512,BA)"#)
    #expect(try ClaimSecurityAttribute(sddl: attribute.sddl) == attribute)
  }

  @Test func attributeRejectsTrailingText() {
    #expect {
      try ClaimSecurityAttribute(sddl: #"("a",TU,0x0,1))"#)
    } throws: { error in
      let e = error as? NTSecurityError
      return e?.code == .invalidParameter && e?.offset == 14
    }
  }
}
