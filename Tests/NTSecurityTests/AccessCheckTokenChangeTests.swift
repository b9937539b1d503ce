import Testing

@testable import NTSecurity

/// The access check reads lookup keys the token keeps for its user, groups and restricting SIDs;
/// every way of changing those SIDs must show in the next check, and the keys must not change what
/// makes two tokens equal.
@Suite struct AccessCheckTokenChangeTests {
  let read = AccessMask.fileGenericRead
  let staffOnly = "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-2001)"

  @Test("A group appended, disabled in place, or made deny-only after creation changes the result")
  func groupChangesShow() throws {
    var token = AC.token()
    #expect(try !AC.check(token, staffOnly, read).isGranted)
    token.groups.append(SIDAndAttributes(AC.staff, AC.enabled))
    #expect(try AC.check(token, staffOnly, read).isGranted)
    let i = try #require(token.groups.firstIndex { $0.sid == AC.staff })
    token.groups[i].attributes.remove(.enabled)
    #expect(try !AC.check(token, staffOnly, read).isGranted)
    token.groups[i].attributes = [.useForDenyOnly]
    // A deny-only SID matches deny ACEs only.
    let denyStaff = "O:SYG:SYD:(D;;FR;;;S-1-5-21-1-2-3-2001)(A;;FR;;;WD)"
    #expect(try !AC.check(token, denyStaff, read).isGranted)
    #expect(try !AC.check(token, staffOnly, read).isGranted)
    token.groups.removeAll { $0.sid == AC.staff }
    #expect(try AC.check(token, denyStaff, read).isGranted)
  }

  @Test("A new user SID, or the user made deny-only, changes the result")
  func userChangesShow() throws {
    var token = AC.token()
    let bobOnly = "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-1002)"
    #expect(try !AC.check(token, bobOnly, read).isGranted)
    token.user = SIDAndAttributes(AC.bob)
    #expect(try AC.check(token, bobOnly, read).isGranted)
    token.user.attributes = [.useForDenyOnly]
    #expect(try !AC.check(token, bobOnly, read).isGranted)
  }

  @Test("Restricting SIDs set after creation take part in the second pass, and the token stays restricted")
  func restrictingSIDChangesShow() throws {
    var token = AC.token()
    let sddl = "O:SYG:SYD:(A;;FR;;;WD)(A;;FR;;;S-1-5-21-1-2-3-2001)"
    token.restrictingSIDs = [SIDAndAttributes(.authenticatedUsers, AC.enabled)]
    #expect(try !AC.check(token, sddl, read).isGranted)
    token.restrictingSIDs.append(SIDAndAttributes(AC.staff, AC.enabled))
    #expect(try AC.check(token, sddl, read).isGranted)
    // Emptying the list does not lift the restriction: the second pass then grants nothing.
    token.restrictingSIDs = []
    #expect(try !AC.check(token, sddl, read).isGranted)
  }

  @Test("Many groups (a hashed lookup with collisions): each one is found, an absent one is not")
  func manyGroups() throws {
    let groups = (0..<300).map { rid in
      SIDAndAttributes(try! SID(parsing: "S-1-5-21-1-2-3-\(5000 + rid)"), AC.enabled)
    }
    let token = AC.token(groups: groups)
    for rid in [5000, 5001, 5150, 5299] {
      #expect(try AC.check(token, "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-\(rid))", read).isGranted)
    }
    // Same RID in another domain, and a RID just past the list.
    #expect(try !AC.check(token, "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-4-5000)", read).isGranted)
    #expect(try !AC.check(token, "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-5300)", read).isGranted)
  }

  @Test("Tokens equal field by field are equal and hash alike, however they were built")
  func equalityIgnoresTheKeys() {
    var a = AC.token()
    var b = a
    b.groups.append(SIDAndAttributes(AC.staff, AC.enabled))
    #expect(a != b)
    a.groups.append(SIDAndAttributes(AC.staff, AC.enabled))
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
  }
}
