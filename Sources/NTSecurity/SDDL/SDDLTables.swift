/// The letter codes of SDDL (MS-DTYP 2.5.1.1) for ACE types, ACE flags, ACL flags and rights.
enum SDDLTables {
  /// Reads two ASCII letters as one key.
  @inline(__always)
  static func key(_ a: UInt8, _ b: UInt8) -> UInt16 { UInt16(a) << 8 | UInt16(b) }

  /// ACE type codes. `ZA` and `XU` follow what Windows does (MS-DTYP has had them swapped).
  static let aceTypes: [(code: StaticString, type: ACEType)] = [
    ("A", .accessAllowed), ("D", .accessDenied), ("AU", .systemAudit), ("AL", .systemAlarm),
    ("OA", .accessAllowedObject), ("OD", .accessDeniedObject), ("OU", .systemAuditObject),
    ("OL", .systemAlarmObject), ("XA", .accessAllowedCallback), ("XD", .accessDeniedCallback),
    ("ZA", .accessAllowedCallbackObject), ("XU", .systemAuditCallback),
    ("ML", .systemMandatoryLabel), ("RA", .systemResourceAttribute), ("SP", .systemScopedPolicyID),
    ("TL", .systemProcessTrustLabel), ("FL", .systemAccessFilter),
  ]

  /// The SDDL code bytes for an ACE type, if it has one.
  static let typeCode: [UInt8: [UInt8]] = {
    var d = [UInt8: [UInt8]]()
    for (code, type) in aceTypes { d[type.rawValue] = code.withUTF8Buffer { Array($0) } }
    return d
  }()

  /// ACE flag codes in the order Windows writes them.
  static let aceFlags: [(code: UInt16, flag: UInt8)] = [
    (key(79, 73), 0x01),  // OI
    (key(67, 73), 0x02),  // CI
    (key(78, 80), 0x04),  // NP
    (key(73, 79), 0x08),  // IO
    (key(73, 68), 0x10),  // ID
    (key(67, 82), 0x20),  // CR
    (key(83, 65), 0x40),  // SA
    (key(70, 65), 0x80),  // FA
  ]

  /// Two-letter rights in the order Windows writes them (ascending bits).
  static let rights: [(code: UInt16, mask: UInt32)] = [
    (key(67, 67), 0x1),  // CC
    (key(68, 67), 0x2),  // DC
    (key(76, 67), 0x4),  // LC
    (key(83, 87), 0x8),  // SW
    (key(82, 80), 0x10),  // RP
    (key(87, 80), 0x20),  // WP
    (key(68, 84), 0x40),  // DT
    (key(76, 79), 0x80),  // LO
    (key(67, 82), 0x100),  // CR
    (key(83, 68), 0x10000),  // SD
    (key(82, 67), 0x20000),  // RC
    (key(87, 68), 0x40000),  // WD
    (key(87, 79), 0x80000),  // WO
    (key(71, 65), 0x1000_0000),  // GA
    (key(71, 88), 0x2000_0000),  // GX
    (key(71, 87), 0x4000_0000),  // GW
    (key(71, 82), 0x8000_0000),  // GR
  ]

  /// Bits the two-letter rights can express.
  static let rightsBits: UInt32 = rights.reduce(0) { $0 | $1.mask }

  /// Composite rights, written only for an exact match (file and registry rights).
  static let exactRights: [(code: UInt16, mask: UInt32)] = [
    (key(70, 65), 0x001F_01FF),  // FA
    (key(70, 82), 0x0012_0089),  // FR
    (key(70, 87), 0x0012_0116),  // FW
    (key(70, 88), 0x0012_00A0),  // FX
    (key(75, 65), 0x000F_003F),  // KA
    (key(75, 82), 0x0002_0019),  // KR
    (key(75, 87), 0x0002_0006),  // KW
    (key(75, 88), 0x0002_0019),  // KX
  ]

  /// Mandatory label policy letters, used for `ML` ACEs.
  static let labelRights: [(code: UInt16, mask: UInt32)] = [
    (key(78, 87), 0x1),  // NW
    (key(78, 82), 0x2),  // NR
    (key(78, 88), 0x4),  // NX
  ]

  /// Every rights code accepted when parsing.
  static let parseRights: [UInt16: UInt32] = {
    var d = [UInt16: UInt32]()
    for r in rights + exactRights + labelRights where d[r.code] == nil { d[r.code] = r.mask }
    return d
  }()

  static let aceFlagByCode: [UInt16: UInt8] = {
    var d = [UInt16: UInt8]()
    for f in aceFlags { d[f.code] = f.flag }
    return d
  }()
}
