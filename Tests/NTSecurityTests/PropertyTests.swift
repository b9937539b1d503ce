import Testing

@testable import NTSecurity

/// decode(encode(x)) == x and parse(format(x)) == x over generated descriptors.
@Suite struct PropertyTests {
  let domain = try! SID(parsing: "S-1-5-21-1-2-3")

  @Test func binaryRoundTrip() throws {
    var gen = DescriptorGenerator(seed: 0xC0FFEE, domain: domain)
    gen.sddlExpressible = false
    for _ in 0..<2000 {
      let sd = gen.descriptor()
      let decoded = try SecurityDescriptor(bytes: sd.bytes)
      #expect(decoded == sd)
      #expect(decoded.bytes == sd.bytes)
      #expect(sd.bytes.count == sd.length)
    }
  }

  @Test func sddlRoundTrip() throws {
    var gen = DescriptorGenerator(seed: 42, domain: domain)
    for _ in 0..<2000 {
      let sd = gen.descriptor()
      for d in [domain, nil] {
        let text = try sd.sddl(domain: d)
        let parsed = try SecurityDescriptor(sddl: text, domain: d)
        #expect(parsed == sd, "\(text)")
        #expect(try parsed.sddl(domain: d) == text)
      }
    }
  }

  @Test func sidRoundTrip() throws {
    var gen = DescriptorGenerator(seed: 7, domain: domain)
    for _ in 0..<5000 {
      let sid = gen.sid()
      #expect(try SID(parsing: sid.description) == sid)
      #expect(try SID(bytes: sid.bytes) == sid)
      #expect(try SID(parsing: sid.sddl(domain: domain), domain: domain) == sid)
    }
  }
}
