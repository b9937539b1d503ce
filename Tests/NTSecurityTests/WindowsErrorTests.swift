import Testing

@testable import NTSecurity

@Suite struct WindowsErrorTests {
  @Test func namesComeFromOneSortedTableWithoutDuplicates() {
    let codes = WindowsError.names.map(\.code)
    #expect(codes == codes.sorted())
    #expect(Set(codes).count == codes.count)
    #expect(Set(WindowsError.names.map(\.name)).count == codes.count)
  }

  @Test func everyNamedCodeFindsItsName() {
    for (code, name) in WindowsError.names {
      #expect(WindowsError(rawValue: code).name == name)
      #expect(WindowsError(code: code).code == code)
    }
  }

  @Test func constantsCarryTheirWindowsNumbers() {
    #expect(WindowsError.accessDenied.rawValue == 5)
    #expect(WindowsError.accessDenied.name == "ERROR_ACCESS_DENIED")
    #expect(WindowsError.invalidSecurityDescriptor.name == "ERROR_INVALID_SECURITY_DESCR")
    #expect(WindowsError.invalidLabel.code == 1299)
    #expect(WindowsError.notFound.description == "ERROR_NOT_FOUND (1168)")
    #expect(WindowsError(rawValue: 1168) == .notFound)
  }

  @Test func anUnnamedCodeIsStillACode() {
    let code = WindowsError(rawValue: 4_000_000)
    #expect(code.name == "ERROR_4000000")
    #expect(code != .success)
  }
}
