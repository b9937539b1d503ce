import CredentialManager
import Testing

/// CredMarshalCredential / CredUnmarshalCredential / CredIsMarshaledCredential against the strings
/// Windows produces (the vectors Wine's conformance tests check on real Windows).
@Suite struct MarshalTests {
  @Test func certificateStringsAreWindows() throws {
    #expect(
      try CredentialManager.marshal(.certificate(sha1: [UInt8](repeating: 0, count: 20)))
        == "@@BAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    var wine = [UInt8](repeating: 0, count: 20)
    wine[0...3] = [0x57, 0x69, 0x6E, 0x65]
    #expect(try CredentialManager.marshal(.certificate(sha1: wine)) == "@@BXlmblBAAAAAAAAAAAAAAAAAAAAA")
    var ff = [UInt8](repeating: 0, count: 20)
    ff[0] = 0xFF
    #expect(try CredentialManager.marshal(.certificate(sha1: ff)) == "@@B-DAAAAAAAAAAAAAAAAAAAAAAAAA")
    var ones = [UInt8](repeating: 0, count: 20)
    ones[0...1] = [1, 1]
    #expect(try CredentialManager.marshal(.certificate(sha1: ones)) == "@@BBEAAAAAAAAAAAAAAAAAAAAAAAAA")
    ones[2] = 1
    #expect(try CredentialManager.marshal(.certificate(sha1: ones)) == "@@BBEQAAAAAAAAAAAAAAAAAAAAAAAA")
    #expect(
      try CredentialManager.marshal(.certificate(sha1: [UInt8](repeating: 0xFF, count: 20)))
        == "@@B--------------------------P")
  }

  @Test func usernameStringsAreWindows() throws {
    #expect(try CredentialManager.marshal(.usernameTarget("t")) == "@@CCAAAAA0BA")
    #expect(try CredentialManager.marshal(.usernameTarget("te")) == "@@CEAAAAA0BQZAA")
    #expect(try CredentialManager.marshal(.usernameTarget("tes")) == "@@CGAAAAA0BQZAMHA")
    #expect(try CredentialManager.marshal(.usernameTarget("test")) == "@@CIAAAAA0BQZAMHA0BA")
    #expect(try CredentialManager.marshal(.usernameTarget("test1")) == "@@CKAAAAA0BQZAMHA0BQMAA")
  }

  @Test func unmarshalReadsWindowsStrings() throws {
    #expect(try CredentialManager.unmarshal("@@CIAAAAA0BQZAMHA0BA") == .usernameTarget("test"))
    var wine = [UInt8](repeating: 0, count: 20)
    wine[0...3] = [0x57, 0x69, 0x6E, 0x65]
    #expect(try CredentialManager.unmarshal("@@BXlmblBAAAAAAAAAAAAAAAAAAAAA") == .certificate(sha1: wine))
  }

  @Test func roundTrips() throws {
    for name in ["a", "DOMAIN\\user", "üser@例え.jp", String(repeating: "x", count: 300)] {
      #expect(
        try CredentialManager.unmarshal(CredentialManager.marshal(.usernameTarget(name)))
          == .usernameTarget(name))
    }
    for n in [0, 1, 2, 3, 4, 5, 64] {
      let blob = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
      let text = try CredentialManager.marshal(.binaryBlob(blob))
      #expect(text.hasPrefix("@@D"))
      // Windows' reader wants at least 9 characters after the type letter, so blobs under two
      // bytes marshal but do not read back.
      if n >= 2 {
        #expect(try CredentialManager.unmarshal(text) == .binaryBlob(blob))
      } else {
        expectCode(.invalidParameter) { try CredentialManager.unmarshal(text) }
      }
    }
    let hash = (0..<20).map { UInt8($0 * 13) }
    #expect(
      try CredentialManager.unmarshal(CredentialManager.marshal(.certificate(sha1: hash)))
        == .certificate(sha1: hash))
  }

  @Test func marshalRejectsWhatWindowsRejects() {
    expectCode(.invalidParameter) { try CredentialManager.marshal(.usernameTarget("")) }
    expectCode(.invalidParameter) { try CredentialManager.marshal(.certificate(sha1: [1, 2, 3])) }
  }

  @Test func malformedStringsAreNotMarshaled() {
    let bad = [
      "winetest", "", "@@", "@@A", "@@AA", "@@AAA", "@@B", "@@BB", "@@BBB",
      "@@BAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA+",
      "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA:", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA>", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAA<",
      "@@C", "@@CC", "@@CCC", "@@D", "@@DD", "@@DDD", "@@EAAAAAAAAAA", "@@CIAAAAA0BQZAMHA0B",
      "@@CDAAAAA0BA", "@@AAAAAAAAAAA", "@CIAAAAA0BQZAMHA0BA",
    ]
    for s in bad {
      #expect(!CredentialManager.isMarshaled(s), "\(s)")
      expectCode(.invalidParameter) { try CredentialManager.unmarshal(s) }
    }
    for s in [
      "@@BXlmblBAAAAAAAAAAAAAAAAAAAAA", "@@BAAAAAAAAAAAAAAAAAAAAAAAAAAA", "@@CCAAAAA0BA",
      "@@CIAAAAA0BQZAMHA0BA",
    ] {
      #expect(CredentialManager.isMarshaled(s), "\(s)")
    }
  }
}

/// CredUIParseUserName's formats and errors.
@Suite struct ParseUserNameTests {
  @Test func downLevelNamesSplitAtTheBackslash() throws {
    let p = try CredentialManager.parseUserName("CORP\\alice")
    #expect(p.user == "alice" && p.domain == "CORP")
    let q = try CredentialManager.parseUserName("corp.example.com\\bob\\x")
    #expect(q.user == "bob\\x" && q.domain == "corp.example.com")
  }

  @Test func upnIsReturnedWholeWithEmptyDomain() throws {
    let p = try CredentialManager.parseUserName("alice@corp.example.com")
    #expect(p.user == "alice@corp.example.com" && p.domain == "")
    let q = try CredentialManager.parseUserName("a@b@corp.example.com")
    #expect(q.user == "a@b@corp.example.com" && q.domain == "")
  }

  @Test func marshaledNamesAreReturnedWhole() throws {
    let p = try CredentialManager.parseUserName("@@CIAAAAA0BQZAMHA0BA")
    #expect(p.user == "@@CIAAAAA0BQZAMHA0BA" && p.domain == "")
  }

  @Test func otherNamesAreInvalidAccountNames() {
    for bad in [
      "alice", "\\alice", "CORP\\", "@corp.com", "alice@", String(repeating: "a", count: 514) + "@x",
    ] {
      expectCode(.invalidAccountName) { try CredentialManager.parseUserName(bad) }
    }
    expectCode(.invalidParameter) { try CredentialManager.parseUserName("") }
  }
}
