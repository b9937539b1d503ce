import TestPeers
import Testing

@testable import GSSAPI

extension GSS {
  /// The status word is decoded as RFC 2744 3.9.1 lays it out, and each python-gssapi exception
  /// class has its status.
  @Suite struct Errors {
    @Test(arguments: GSSError.Routine.allCases)
    func everyRoutineErrorDecodesAndHasTheLibrarysMessage(routine: GSSError.Routine) {
      let error = GSSError(major: routine.rawValue << 16, minor: 0, mechanism: nil, context: "test")
      #expect(error.routine == routine)
      #expect(error.calling == nil)
      #expect(error.supplementary.isEmpty)
      #expect(error.majorMessages.count == 1 && !error.majorMessages[0].isEmpty)
      #expect(error.description.contains(routine.statusName))
    }

    @Test func pythonClassNames() {
      func name(_ major: UInt32) -> String {
        GSSError(major: major, minor: 0, mechanism: nil, context: "t").pythonName
      }
      #expect(name(1 << 24) == "ParameterReadError")
      #expect(name(2 << 24) == "ParameterWriteError")
      #expect(name(3 << 24) == "MalformedParameterError")
      #expect(name(1 << 24 | 2 << 16) == "NameReadError")
      #expect(name(1 << 24 | 3 << 16) == "NameTypeReadError")
      #expect(name(1 << 24 | 9 << 16) == "TokenReadError")
      #expect(name(6 << 16) == "BadMICError")
      #expect(name(16 << 16) == "OperationUnavailableError")
      #expect(name(18 << 16) == "MechanismNameRequiredError")
      #expect(name(1 << 1) == "DuplicateTokenError")
      #expect(name(1 << 2) == "ExpiredTokenError")
      #expect(name(1 << 3) == "TokenTooLateError")
      #expect(name(1 << 4) == "TokenTooEarlyError")
      let both = GSSError(major: 6 << 16 | 1 << 1, minor: 0, mechanism: nil, context: "t")
      #expect(both.routine == .badMIC && both.supplementary == .duplicateToken)
    }

    @Test func statusMessagesLoopOverDisplayStatus() {
      #expect(GSSError.statusMessages(1 << 24, isMajor: true).joined().contains("read"))
      // a krb5 minor code, through the Kerberos mechanism: KRB5KRB_AP_ERR_BAD_INTEGRITY
      let minor = GSSError.statusMessages(
        UInt32(bitPattern: -1765328353), isMajor: false, mechanism: GSSAPI.MechanismType.kerberos)
      #expect(minor.joined().contains("integrity"))
    }
  }
}
