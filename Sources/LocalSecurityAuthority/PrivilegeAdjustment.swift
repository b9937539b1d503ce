import NTSecurity

extension LocalSecurityAuthority {
  /// AdjustTokenPrivileges on the caller's own process token: enables and disables the
  /// capabilities behind the privileges (``CapabilityPrivileges``) in the calling thread's
  /// effective set with capset(2); `SE_PRIVILEGE_REMOVED` drops them from the permitted set too,
  /// for good. The rules are `AccessToken.adjustPrivileges(disableAll:newState:)`'s: the result
  /// holds the previous state of what changed, and `ERROR_NOT_ALL_ASSIGNED` when a privilege is not
  /// held (the others are still adjusted). Capabilities no privilege stands for are left alone.
  ///
  /// Linux keeps capabilities per thread: the change applies to the calling thread, whose
  /// credentials ``processToken(_:configuration:)`` reads for the caller's own process.
  @discardableResult
  public static func adjustProcessPrivileges(
    disableAll: Bool = false, newState: [LUIDAndAttributes] = [], configuration: Configuration = .current
  ) throws(NTSecurityError) -> AccessToken.Adjustment<LUIDAndAttributes> {
    let sets = try HostSystem.capabilities()
    var token = AccessToken(user: .everyone, privileges: CapabilityPrivileges.privileges(sets))
    let adjustment = token.adjustPrivileges(disableAll: disableAll, newState: newState)
    var updated = sets
    for (privilege, capabilities) in CapabilityPrivileges.table {
      let bits = CapabilityPrivileges.mask(capabilities)
      guard sets.permitted & bits == bits else { continue }
      switch token.privileges.first(where: { $0.luid == privilege.luid }) {
      case .none:
        updated.permitted &= ~bits
        updated.effective &= ~bits
      case .some(let entry) where entry.attributes.contains(.enabled):
        updated.effective |= bits
      case .some:
        updated.effective &= ~bits
      }
    }
    if updated != sets { try HostSystem.setCapabilities(updated) }
    return adjustment
  }
}
