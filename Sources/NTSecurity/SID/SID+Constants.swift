/// SIDs that token and access-check code names directly.
extension SID {
  /// S-1-1-0, Everyone (`WD`).
  public static let everyone = SID(unchecked: 1, [0])
  /// S-1-3-0, CREATOR OWNER (`CO`): replaced by the creator's owner in inherited ACEs.
  public static let creatorOwner = SID(unchecked: 3, [0])
  /// S-1-3-1, CREATOR GROUP (`CG`): replaced by the creator's primary group in inherited ACEs.
  public static let creatorGroup = SID(unchecked: 3, [1])
  /// S-1-3-2, CREATOR OWNER SERVER.
  public static let creatorOwnerServer = SID(unchecked: 3, [2])
  /// S-1-3-3, CREATOR GROUP SERVER.
  public static let creatorGroupServer = SID(unchecked: 3, [3])
  /// S-1-3-4, OWNER RIGHTS (`OW`): an ACE for it replaces the owner's implicit rights.
  public static let ownerRights = SID(unchecked: 3, [4])
  /// S-1-5-4, INTERACTIVE.
  public static let interactive = SID(unchecked: 5, [4])
  /// S-1-5-10, PRINCIPAL SELF (`PS`): replaced by the object's own SID in access checks.
  public static let principalSelf = SID(unchecked: 5, [10])
  /// S-1-5-11, Authenticated Users (`AU`).
  public static let authenticatedUsers = SID(unchecked: 5, [11])
  /// S-1-5-12, RESTRICTED (`RC`).
  public static let restrictedCode = SID(unchecked: 5, [12])
  /// S-1-5-18, LocalSystem (`SY`).
  public static let localSystem = SID(unchecked: 5, [18])
  /// S-1-5-33, WRITE RESTRICTED (`WR`).
  public static let writeRestrictedCode = SID(unchecked: 5, [33])
  /// S-1-5-32-544, BUILTIN\Administrators (`BA`).
  public static let builtinAdministrators = SID(unchecked: 5, [32, 544])
  /// S-1-5-32-545, BUILTIN\Users (`BU`).
  public static let builtinUsers = SID(unchecked: 5, [32, 545])
  /// S-1-16-0, Untrusted mandatory level.
  public static let untrustedLabel = SID(unchecked: 16, [0])
  /// S-1-16-4096, Low mandatory level (`LW`).
  public static let lowLabel = SID(unchecked: 16, [0x1000])
  /// S-1-16-8192, Medium mandatory level (`ME`).
  public static let mediumLabel = SID(unchecked: 16, [0x2000])
  /// S-1-16-12288, High mandatory level (`HI`).
  public static let highLabel = SID(unchecked: 16, [0x3000])
  /// S-1-16-16384, System mandatory level (`SI`).
  public static let systemLabel = SID(unchecked: 16, [0x4000])
}
