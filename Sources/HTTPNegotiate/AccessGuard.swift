import NTSecurity

/// A route's authorization as a security descriptor: AccessCheck with the request's token, as a
/// Windows service checks a client against an object's DACL. Conditional ACEs see the token's
/// claims. Anything that goes wrong denies.
public struct AccessGuard: Sendable, Hashable {
  /// The descriptor checked (an SDDL without owner or group gets SYSTEM for both, so the owner's
  /// implicit rights go to no client; generic rights in the DACL mapped with ``mapping``).
  public let descriptor: SecurityDescriptor
  /// The access asked for, generic rights already mapped.
  public let desired: AccessMask
  public let mapping: GenericMapping

  /// Parses `sddl` (a DACL such as `D:(A;;GA;;;BA)`); `desired` may hold generic rights, mapped
  /// with `mapping`. Invalid SDDL throws (with its Windows code and offset), at configuration
  /// time rather than per request.
  public init(sddl: String, desired: AccessMask = .genericRead, mapping: GenericMapping = .file)
    throws(NTSecurityError)
  {
    var descriptor = try SecurityDescriptor(sddl: sddl)
    let system = SID.localSystem
    if descriptor.owner == nil { descriptor.owner = system }
    if descriptor.group == nil { descriptor.group = system }
    // Generic rights in the ACEs mapped as MapGenericMask does when an object's descriptor is
    // made: AccessCheck compares specific rights.
    if var dacl = descriptor.dacl {
      for i in dacl.aces.indices { dacl.aces[i].mask = dacl.aces[i].mask.mapped(by: mapping) }
      descriptor.dacl = dacl
    }
    self.descriptor = descriptor
    self.desired = desired.mapped(by: mapping)
    self.mapping = mapping
    guard !self.desired.isEmpty else {
      throw NTSecurityError(.invalidParameter, "an access guard must ask for some access")
    }
  }

  /// Whether `token` is granted all of ``desired``. An AccessCheck error denies.
  public func permits(_ token: AccessToken) -> Bool {
    guard
      let result = try? AccessCheck.evaluate(
        token: token, descriptor: descriptor, desired: desired, mapping: mapping)
    else { return false }
    return result.isGranted && result.granted.isSuperset(of: desired)
  }
}

/// A route's authorization by group membership: the token must have one (any) or all of the
/// groups as enabled SIDs (CheckTokenMembership).
public struct GroupGuard: Sendable, Hashable {
  public enum Requirement: Sendable, Hashable { case any, all }
  public let groups: [SID]
  public let requirement: Requirement

  public init(_ groups: [SID], requirement: Requirement = .any) {
    self.groups = groups
    self.requirement = requirement
  }

  /// Whether `token` satisfies the guard (an empty list permits nobody).
  public func permits(_ token: AccessToken) -> Bool {
    guard !groups.isEmpty else { return false }
    switch requirement {
    case .any: return groups.contains { token.isMember($0) }
    case .all: return groups.allSatisfy { token.isMember($0) }
    }
  }
}
