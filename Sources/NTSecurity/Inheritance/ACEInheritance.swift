/// What the ACEs of a parent ACL, or of a creator's ACL, become on a new object: Windows' ACE
/// inheritance rules (MS-DTYP 2.5.3.4.4, "ACE inheritance rules" in the Windows documentation,
/// and the two-ACE split the CreatePrivateObjectSecurityEx remarks describe).
struct InheritanceContext {
  /// Whether the new object can hold children (a directory, a registry key, any DS object).
  var isContainer: Bool
  /// The new object's class GUIDs; empty when it has none.
  var objectTypes: [GUID]
  /// Replaces CREATOR OWNER.
  var owner: SID
  /// Replaces CREATOR GROUP.
  var group: SID
  /// Replaces CREATOR OWNER SERVER.
  var serverOwner: SID
  /// Replaces CREATOR GROUP SERVER.
  var serverGroup: SID
  var mapping: GenericMapping

  /// Whether an ACE restricted to a child class (`InheritedObjectType`) applies to this object.
  /// An object without a class GUID is not restricted.
  func appliesToObject(_ ace: ACE) -> Bool {
    guard let type = ace.inheritedObjectType, !objectTypes.isEmpty else { return true }
    return objectTypes.contains(type)
  }
}

extension ACEFlags {
  /// OI, CI, NP and IO: the flags that only describe inheritance.
  static let inheritance: ACEFlags = [
    .objectInherit, .containerInherit, .noPropagateInherit, .inheritOnly,
  ]
}

extension ACEType {
  /// Types whose mask holds access rights that generic mapping applies to (allow, deny, audit
  /// and alarm in all their forms); label, attribute and policy ACEs are left alone.
  var carriesAccessRights: Bool {
    (0x00...0x03).contains(rawValue) || (0x05...0x10).contains(rawValue)
  }

  /// The non-object type of the same kind (ACCESS_ALLOWED_OBJECT → ACCESS_ALLOWED, …).
  var withoutObject: ACEType {
    switch rawValue {
    case 0x05: return .accessAllowed
    case 0x06: return .accessDenied
    case 0x07: return .systemAudit
    case 0x08: return .systemAlarm
    case 0x0B: return .accessAllowedCallback
    case 0x0C: return .accessDeniedCallback
    case 0x0F: return .systemAuditCallback
    case 0x10: return .systemAlarmCallback
    default: return self
    }
  }
}

extension SID {
  /// CREATOR OWNER, CREATOR GROUP, CREATOR OWNER SERVER and CREATOR GROUP SERVER: the SIDs an
  /// inherited effective ACE replaces.
  var isCreatorSID: Bool {
    identifierAuthority == 3 && subAuthorityCount == 1 && self[subAuthority: 0] <= 3
  }
}

extension ACE {
  /// Whether the ACE has generic rights or a creator SID that an effective copy must resolve.
  func hasMappableParts() -> Bool {
    guard !isOpaque else { return false }
    if type.carriesAccessRights && !mask.isDisjoint(with: .generic) { return true }
    return sid.isCreatorSID
  }

  /// The creator SIDs replaced and generic rights mapped; flags and GUIDs kept.
  func resolved(in ctx: InheritanceContext) -> ACE {
    guard !isOpaque else { return self }
    var ace = self
    if sid.isCreatorSID {
      switch sid[subAuthority: 0] {
      case 0: ace.sid = ctx.owner
      case 1: ace.sid = ctx.group
      case 2: ace.sid = ctx.serverOwner
      default: ace.sid = ctx.serverGroup
      }
    }
    if type.carriesAccessRights { ace.mask = mask.mapped(by: ctx.mapping) }
    return ace
  }

  /// The copy that takes effect on the object itself and is not passed on: resolved, without
  /// inheritance flags and without an inherited object type (an object ACE left with no GUID
  /// becomes the plain type).
  func effectiveCopy(in ctx: InheritanceContext) -> ACE {
    var ace = resolved(in: ctx)
    ace.flags.subtract(.inheritance)
    guard !isOpaque, ace.inheritedObjectType != nil else { return ace }
    ace.inheritedObjectType = nil
    if ace.objectType == nil { ace.type = type.withoutObject }
    return ace
  }

  /// Whether the parent ACE reaches a child object of this kind at all.
  func isInherited(by ctx: InheritanceContext) -> Bool {
    ctx.isContainer ? isInheritable : flags.contains(.objectInherit)
  }
}

extension ACL {
  /// The ACEs a new child inherits from this (parent) ACL, marked INHERITED_ACE, in the
  /// parent's order. For each parent ACE:
  ///
  /// | parent flags | container child | leaf child |
  /// |---|---|---|
  /// | OI | OI IO ID | effective, ID |
  /// | OI NP | — | effective, ID |
  /// | CI | CI ID | — |
  /// | CI NP | effective, ID | — |
  /// | OI CI | OI CI ID | effective, ID |
  /// | OI CI NP | effective, ID | effective, ID |
  ///
  /// The parent's INHERIT_ONLY flag does not matter. When a container child gets an ACE that
  /// is both effective and inheritable and the ACE has generic rights or a creator SID, the
  /// child gets two ACEs: the effective copy (resolved, ID) followed by the original with
  /// INHERIT_ONLY and ID, so grandchildren resolve it again. An object ACE whose inherited
  /// object type is not among the child's types is only passed on (IO ID) by containers.
  func inheritedACEs(_ ctx: InheritanceContext) -> [ACE] {
    var out = [ACE]()
    for ace in aces where ace.isInheritable {
      let propagates = !ace.flags.contains(.noPropagateInherit)
      let matches = ctx.appliesToObject(ace)
      if ctx.isContainer {
        let effective = ace.flags.contains(.containerInherit) && matches
        if effective && !propagates {
          out.append(ace.effectiveCopy(in: ctx).marked(.inherited))
        } else if effective && ace.hasMappableParts() {
          out.append(ace.effectiveCopy(in: ctx).marked(.inherited))
          out.append(ace.marked([.inherited, .inheritOnly]))
        } else if effective {
          var copy = ace
          copy.flags.remove(.inheritOnly)
          out.append(copy.marked(.inherited))
        } else if propagates {
          out.append(ace.marked([.inherited, .inheritOnly]))
        }
      } else if ace.flags.contains(.objectInherit) && matches {
        out.append(ace.effectiveCopy(in: ctx).marked(.inherited))
      }
    }
    return out
  }

  /// Whether a child of `ctx`'s kind inherits ACEs meant for its own class (an inherited object
  /// type among `ctx.objectTypes`): what SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT looks for.
  func passesObjectSpecificACEs(_ ctx: InheritanceContext) -> Bool {
    aces.contains { ace in
      guard let type = ace.inheritedObjectType, ace.isInherited(by: ctx) else { return false }
      return ctx.objectTypes.contains(type)
    }
  }

  /// The creator's ACL as it goes on the new object. Inherited ACEs are dropped (or, in a
  /// protected ACL, kept as explicit ACEs); inherit-only ACEs without OI or CI mean nothing and
  /// are dropped; other inherit-only ACEs are kept as they are. Effective ACEs have generic
  /// rights mapped and creator SIDs replaced, and on a container an inheritable one that needs
  /// this becomes two ACEs: the resolved effective copy, then the original with INHERIT_ONLY
  /// (the order of the inherited split too).
  /// With `keepInherited`, ACEs marked INHERITED_ACE pass through untouched.
  func explicitACEs(_ ctx: InheritanceContext, isProtected: Bool, keepInherited: Bool = false)
    -> [ACE]
  {
    var out = [ACE]()
    for original in aces {
      var ace = original
      if ace.flags.contains(.inherited) {
        if keepInherited {
          out.append(ace)
          continue
        }
        guard isProtected else { continue }
        ace.flags.remove(.inherited)
      }
      if ace.flags.contains(.inheritOnly) {
        if ace.isInheritable { out.append(ace) }
        continue
      }
      guard ace.hasMappableParts() else {
        out.append(ace)
        continue
      }
      if ctx.isContainer && ace.isInheritable {
        out.append(ace.effectiveCopy(in: ctx))
        out.append(ace.marked(.inheritOnly))
      } else {
        out.append(ace.resolved(in: ctx))
      }
    }
    return out
  }
}

extension ACE {
  fileprivate func marked(_ extra: ACEFlags) -> ACE {
    var ace = self
    ace.flags.formUnion(extra)
    return ace
  }
}
