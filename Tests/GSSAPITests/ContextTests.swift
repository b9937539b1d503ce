import GSSAPI
import NTSecurityTesting
import TestPeers
import Testing

extension GSS {
  @Suite struct Contexts {
    @Test func kerberosContextEstablishesWithMutualAuthentication() throws {
      let (i, a) = try establish()
      #expect(!i.moreSteps)
      #expect(!a.moreSteps)
      #expect(i.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(a.mechanism == GSSAPI.MechanismType.kerberos)
      #expect(i.flags.contains([.mutualAuthentication, .confidentiality, .integrity, .replayDetection]))
      #expect(a.initiatorName?.description == KerberosTestRealm.userPrincipal)
      #expect(a.delegatedCredentials == nil)
      let lifetime = try #require(i.lifetime)
      #expect(lifetime > 3600 && lifetime <= 36000)
    }
  }
}
