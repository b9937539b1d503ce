import Testing

@testable import NTSecurity

/// Object-type (GUID) inheritance: inherited object types matched against the new object's
/// classes, and SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT.
@Suite struct InheritanceObjectTypeTests {
  typealias F = InheritanceFixture
  let og = F.ownerGroup
  // Active Directory schema GUIDs: the user and group classes and the member attribute.
  static let userClass = "bf967aba-0de6-11d0-a285-00aa003049e2"
  static let groupClass = "bf967a9c-0de6-11d0-a285-00aa003049e2"
  static let member = "bf9679c0-0de6-11d0-a285-00aa003049e2"
  let user = GUID(userClass)!
  let group = GUID(groupClass)!
  let ds = GenericMapping.directoryServiceObject

  @Test("An ACE for the child's class is effective and keeps its GUIDs when nothing needs resolving")
  func matchingInheritedObjectType() throws {
    let parent = "D:(OA;CI;RPWP;\(Self.member);\(Self.userClass);AU)"
    #expect(
      try F.child(parent, container: true, objectTypes: [user], mapping: ds)
        == og + "D:(OA;CIID;RPWP;\(Self.member);\(Self.userClass);AU)")
  }

  @Test("An ACE for another class is only passed on (inherit-only) by containers and ignored by leaves")
  func otherInheritedObjectType() throws {
    let parent = "D:(OA;CI;RPWP;\(Self.member);\(Self.userClass);AU)(A;CI;LC;;;AU)"
    #expect(
      try F.child(parent, container: true, objectTypes: [group], mapping: ds)
        == og + "D:(OA;CIIOID;RPWP;\(Self.member);\(Self.userClass);AU)(A;CIID;LC;;;AU)")
    let leafParent = "D:(OA;OI;RP;;\(Self.userClass);AU)(A;OI;LC;;;AU)"
    #expect(
      try F.child(leafParent, container: false, objectTypes: [group], mapping: ds)
        == og + "D:(A;ID;LC;;;AU)")
  }

  @Test(
    "Any of the object's classes matches (structural and auxiliary, CreatePrivateObjectSecurityWithMultipleInheritance)"
  )
  func multipleClasses() throws {
    let parent = "D:(OA;OI;RP;;\(Self.userClass);AU)"
    #expect(
      try F.child(parent, container: false, objectTypes: [group, user], mapping: ds)
        == og + "D:(A;ID;RP;;;AU)")
  }

  @Test("An object without class GUIDs is not restricted by inherited object types")
  func noObjectTypes() throws {
    #expect(
      try F.child("D:(OA;OI;RP;;\(Self.userClass);AU)", container: false, mapping: ds)
        == og + "D:(A;ID;RP;;;AU)")
  }

  @Test(
    "Split of a class-specific CREATOR OWNER ACE: the effective copy loses the inherited object type and becomes a plain ACE, the inherit-only copy keeps it"
  )
  func splitDropsInheritedObjectType() throws {
    let parent = "D:(OA;CI;GA;;\(Self.userClass);CO)(OA;CI;GW;\(Self.member);\(Self.userClass);CO)"
    #expect(
      try F.child(parent, container: true, objectTypes: [user], mapping: ds)
        == og + "D:(A;ID;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;\(F.u))(OA;CIIOID;GA;;\(Self.userClass);CO)"
        + "(OA;ID;SWWPRC;\(Self.member);;\(F.u))(OA;CIIOID;GW;\(Self.member);\(Self.userClass);CO)")
  }

  /// Results Windows gives for AD groups created under an OU (Samba's sec_descriptor tests 206,
  /// 207 and 209, written against Windows): an OI object ACE is only passed on by the container,
  /// a CI one applies, and a CI CREATOR OWNER deny splits.
  @Test(
    "AD group under an OU: (OA;OI;…) → OI IO ID, (OA;CI;…) → CI ID, (D;CI;WP;;;CO) → (D;ID;WP;;;owner)(D;CIIOID;WP;;;CO)"
  )
  func activeDirectoryGroupUnderOU() throws {
    let name = "bf967a0e-0de6-11d0-a285-00aa003049e2"
    let st = "bf967a39-0de6-11d0-a285-00aa003049e2"
    let parent = "D:(OA;OI;WP;\(name);;AU)(OA;CI;WP;\(st);;AU)(D;CI;WP;;;CO)"
    let sddl = try F.child(
      parent, creator: "O:AUG:AUD:AI(A;;CC;;;AU)", container: true, flags: .daclAutoInherit,
      objectTypes: [group], token: F.token(privileges: [LUIDAndAttributes(.restore, [.enabled])]),
      mapping: ds)
    #expect(
      sddl
        == "O:AUG:AUD:AI(A;;CC;;;AU)(OA;OIIOID;WP;\(name);;AU)(OA;CIID;WP;\(st);;AU)"
        + "(D;ID;WP;;;AU)(D;CIIOID;WP;;;CO)")
  }

  @Test("The child's ACL keeps the parent's ACL_REVISION_DS and is raised to it when object ACEs arrive")
  func aclRevision() throws {
    let parent = try SecurityDescriptor(
      sddl: "D:(OA;CI;RP;;\(Self.groupClass);AU)(A;OI;FA;;;SY)")
    #expect(parent.dacl?.revision == ACL.revisionDS)
    let leaf = try SecurityDescriptor.inherited(
      from: parent, isContainer: false, objectTypes: [user], token: F.token(), mapping: ds)
    #expect(leaf.dacl?.revision == ACL.revisionDS && leaf.dacl?.aces.count == 1)
    let fileParent = try SecurityDescriptor(sddl: "D:(A;OI;FA;;;SY)")
    let file = try SecurityDescriptor.inherited(
      from: fileParent, isContainer: false, token: F.token(), mapping: .file)
    #expect(file.dacl?.revision == ACL.revision2)
  }

  @Test(
    "SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT: the creator's DACL is ignored when the parent passes on ACEs for the object's class, used otherwise"
  )
  func defaultDescriptorForObject() throws {
    let creator = "D:(A;;RP;;;WD)"
    let specific = "D:(OA;CI;RP;;\(Self.userClass);AU)"
    let generic = "D:(A;CI;LC;;;AU)"
    #expect(
      try F.child(
        specific, creator: creator, container: true, flags: .defaultDescriptorForObject,
        objectTypes: [user], mapping: ds)
        == og + "D:(OA;CIID;RP;;\(Self.userClass);AU)")
    #expect(
      try F.child(
        generic, creator: creator, container: true,
        flags: [.defaultDescriptorForObject, .daclAutoInherit], objectTypes: [user], mapping: ds)
        == og + "D:AI(A;;RP;;;WD)(A;CIID;LC;;;AU)")
  }
}
