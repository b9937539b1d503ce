import Testing

@testable import NTSecurity

/// AccessCheckByType and AccessCheckByTypeResultList: object ACEs over an object type tree.
/// The tree is the one of Windows Security Internals figure 7-4: an object, two property sets,
/// properties X and Y in the first and Z in the second.
@Suite struct AccessCheckObjectTypeTests {
  let object = GUID("11111111-0000-0000-0000-000000000000")!
  let set1 = GUID("22222222-0000-0000-0000-000000000001")!
  let x = GUID("33333333-0000-0000-0000-00000000000a")!
  let y = GUID("33333333-0000-0000-0000-00000000000b")!
  let set2 = GUID("22222222-0000-0000-0000-000000000002")!
  let z = GUID("33333333-0000-0000-0000-00000000000c")!
  let alice = AC.token()

  var tree: [ObjectTypeEntry] {
    [
      ObjectTypeEntry(level: 0, object), ObjectTypeEntry(level: 1, set1), ObjectTypeEntry(level: 2, x),
      ObjectTypeEntry(level: 2, y), ObjectTypeEntry(level: 1, set2), ObjectTypeEntry(level: 2, z),
    ]
  }

  func statuses(_ r: AccessCheckResult) -> [Bool] { r.objectTypes.map { $0.status == .success } }

  @Test(
    "A deny on property Z blocks Z, its property set and the object; the rest of the tree is granted (listing 7-29)"
  )
  func denyPropagatesUp() throws {
    let sddl = "O:SYG:SYD:(OD;;WO;\(z);;WD)(A;;RCWO;;;WD)"
    let desired: AccessMask = [.readControl, .writeOwner]
    let result = try AC.check(alice, sddl, desired, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(result.status == .accessDenied && result.granted.isEmpty)
    #expect(statuses(result) == [false, true, true, true, false, false])
    #expect(
      result.objectTypes.map(\.granted) == [
        .readControl, desired, desired, desired, .readControl, .readControl,
      ])
    #expect(result.objectTypes.map(\.objectType) == tree.map(\.objectType))
    // Without the object type list the object ACE naming a type is a plain deny.
    #expect(try AC.check(alice, sddl, desired, mapping: .directoryServiceObject).status == .accessDenied)
    #expect(try AC.check(alice, sddl, .readControl, mapping: .directoryServiceObject).isGranted)
  }

  @Test("A grant to a property set flows down to its properties, not up to the object")
  func grantFlowsDown() throws {
    let sddl = "O:SYG:SYD:(OA;;RP;\(set1);;WD)"
    let result = try AC.check(
      alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(result.status == .accessDenied)
    #expect(statuses(result) == [false, true, true, true, false, false])
  }

  @Test("A parent is granted once all its children are; grants to every leaf reach the object")
  func grantFlowsUpWhenComplete() throws {
    let partial = "O:SYG:SYD:(OA;;RP;\(x);;WD)(OA;;RP;\(y);;WD)"
    let result = try AC.check(
      alice, partial, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(statuses(result) == [false, true, true, true, false, false])
    let all = partial + "(OA;;RP;\(z);;WD)"
    let complete = try AC.check(
      alice, all, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(complete.isGranted && statuses(complete) == [true, true, true, true, true, true])
  }

  @Test("Object ACEs without an object type, and plain ACEs, apply to the whole tree")
  func untypedACEsApplyToTheRoot() throws {
    for sddl in ["O:SYG:SYD:(OA;;RP;;;WD)", "O:SYG:SYD:(A;;RP;;;WD)"] {
      let result = try AC.check(
        alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
      #expect(result.isGranted && statuses(result) == Array(repeating: true, count: 6))
    }
  }

  @Test("Object ACEs naming a type that is not in the list are ignored, allow and deny alike")
  func unknownTypesAreIgnored() throws {
    let other = GUID("99999999-0000-0000-0000-000000000000")!
    let sddl = "O:SYG:SYD:(OD;;RP;\(other);;WD)(OA;;WP;\(other);;WD)(A;;RP;;;WD)"
    let result = try AC.check(
      alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(result.isGranted)
    #expect(
      try AC.check(alice, sddl, .dsWriteProperty, mapping: .directoryServiceObject, objectTypes: tree).status
        == .accessDenied)
  }

  @Test("Without an object type list, allow object ACEs naming a type grant nothing")
  func typedAllowWithoutListIsIgnored() throws {
    let sddl = "O:SYG:SYD:(OA;;RP;\(x);;WD)"
    #expect(
      try AC.check(alice, sddl, .dsReadProperty, mapping: .directoryServiceObject).status == .accessDenied)
  }

  @Test("InheritedObjectType plays no part in the access check")
  func inheritedObjectTypeIsIgnored() throws {
    let sddl = "O:SYG:SYD:(OA;;RP;;\(z);WD)"
    #expect(
      try AC.check(alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
        .isGranted)
  }

  @Test("A deny after a grant to the same node has no effect there")
  func grantBeforeDeny() throws {
    let sddl = "O:SYG:SYD:(OA;;RP;\(set2);;WD)(OD;;RP;\(z);;WD)(OA;;RP;\(set1);;WD)"
    let result = try AC.check(
      alice, sddl, .dsReadProperty, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(result.isGranted && statuses(result) == Array(repeating: true, count: 6))
  }

  @Test("MAXIMUM_ALLOWED reports each node's own rights")
  func maximumAllowedPerNode() throws {
    let sddl = "O:SYG:SYD:(OD;;WP;\(x);;WD)(OA;;RPWP;\(set1);;WD)(A;;RC;;;WD)"
    let result = try AC.check(
      alice, sddl, AC.maximumAllowed, mapping: .directoryServiceObject, objectTypes: tree)
    #expect(result.isGranted && result.granted == .readControl)
    #expect(
      result.objectTypes.map(\.granted) == [
        .readControl, [.readControl, .dsReadProperty], [.readControl, .dsReadProperty],
        [.readControl, .dsReadProperty, .dsWriteProperty], .readControl, .readControl,
      ])
  }

  @Test("Malformed object type lists fail with ERROR_INVALID_PARAMETER")
  func invalidLists() {
    let bad: [[ObjectTypeEntry]] = [
      [ObjectTypeEntry(level: 1, x)],
      [ObjectTypeEntry(level: 0, object), ObjectTypeEntry(level: 0, x)],
      [ObjectTypeEntry(level: 0, object), ObjectTypeEntry(level: 2, x)],
      [
        ObjectTypeEntry(level: 0, object), ObjectTypeEntry(level: 1, x), ObjectTypeEntry(level: 2, y),
        ObjectTypeEntry(level: 3, z), ObjectTypeEntry(level: 4, set1), ObjectTypeEntry(level: 5, set2),
      ],
    ]
    for list in bad {
      do {
        _ = try AC.check(alice, "O:SYG:SYD:(A;;RP;;;WD)", .dsReadProperty, objectTypes: list)
        Issue.record("expected ERROR_INVALID_PARAMETER for \(list.map(\.level))")
      } catch { #expect(error.code == .invalidParameter) }
    }
  }

  @Test("Privilege and owner rights apply to every node")
  func privilegesAndOwnerForEveryNode() throws {
    let token = AC.token(privileges: [.takeOwnership])
    let result = try AC.check(token, AC.ownerAlice + "D:", [.writeOwner, .readControl], objectTypes: tree)
    #expect(result.isGranted && statuses(result) == Array(repeating: true, count: 6))
  }
}
