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

  /// The SDDL code of each ACE type (one or two ASCII letters packed, 0 = none), by type byte.
  static let typeCode: [UInt16] = {
    var table = [UInt16](repeating: 0, count: 256)
    for (code, type) in aceTypes {
      table[Int(type.rawValue)] = code.withUTF8Buffer { $0.reduce(0) { $0 << 8 | UInt16($1) } }
    }
    return table
  }()

  /// The ACE type for a code of one or two letters (either case).
  @inline(__always)
  static func aceType(_ a: UInt8, _ b: UInt8?) -> ACEType? {
    switch (asciiUpper(a), b.map(asciiUpper)) {
    case (65, nil): return .accessAllowed  // A
    case (68, nil): return .accessDenied  // D
    case (65, 85): return .systemAudit  // AU
    case (65, 76): return .systemAlarm  // AL
    case (79, 65): return .accessAllowedObject  // OA
    case (79, 68): return .accessDeniedObject  // OD
    case (79, 85): return .systemAuditObject  // OU
    case (79, 76): return .systemAlarmObject  // OL
    case (88, 65): return .accessAllowedCallback  // XA
    case (88, 68): return .accessDeniedCallback  // XD
    case (90, 65): return .accessAllowedCallbackObject  // ZA
    case (88, 85): return .systemAuditCallback  // XU
    case (77, 76): return .systemMandatoryLabel  // ML
    case (82, 65): return .systemResourceAttribute  // RA
    case (83, 80): return .systemScopedPolicyID  // SP
    case (84, 76): return .systemProcessTrustLabel  // TL
    case (70, 76): return .systemAccessFilter  // FL
    default: return nil
    }
  }

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

  /// Index of two uppercase ASCII letters in a 26×26 table, or nil.
  @inline(__always)
  static func letterIndex(_ a: UInt8, _ b: UInt8) -> Int? {
    let x = Int(a) &- 65
    let y = Int(b) &- 65
    guard x >= 0, x < 26, y >= 0, y < 26 else { return nil }
    return x * 26 + y
  }

  /// The mask of a two-letter rights code (uppercase), 0 when there is none. A switch rather than a
  /// table lookup: no lazy global to check on every call.
  @inline(__always)
  static func rightsMask(_ a: UInt8, _ b: UInt8) -> UInt32 {
    switch key(a, b) {
    case key(67, 67): return 0x1  // CC
    case key(68, 67): return 0x2  // DC
    case key(76, 67): return 0x4  // LC
    case key(83, 87): return 0x8  // SW
    case key(82, 80): return 0x10  // RP
    case key(87, 80): return 0x20  // WP
    case key(68, 84): return 0x40  // DT
    case key(76, 79): return 0x80  // LO
    case key(67, 82): return 0x100  // CR
    case key(83, 68): return 0x10000  // SD
    case key(82, 67): return 0x20000  // RC
    case key(87, 68): return 0x40000  // WD
    case key(87, 79): return 0x80000  // WO
    case key(71, 65): return 0x1000_0000  // GA
    case key(71, 88): return 0x2000_0000  // GX
    case key(71, 87): return 0x4000_0000  // GW
    case key(71, 82): return 0x8000_0000  // GR
    case key(70, 65): return 0x001F_01FF  // FA
    case key(70, 82): return 0x0012_0089  // FR
    case key(70, 87): return 0x0012_0116  // FW
    case key(70, 88): return 0x0012_00A0  // FX
    case key(75, 65): return 0x000F_003F  // KA
    case key(75, 82), key(75, 88): return 0x0002_0019  // KR, KX
    case key(75, 87): return 0x0002_0006  // KW
    case key(78, 87): return 0x1  // NW
    case key(78, 82): return 0x2  // NR
    case key(78, 88): return 0x4  // NX
    default: return 0
    }
  }

  /// The ACE flag of a two-letter code (uppercase), 0 when there is none.
  @inline(__always)
  static func aceFlag(_ a: UInt8, _ b: UInt8) -> UInt8 {
    switch key(a, b) {
    case key(79, 73): return 0x01  // OI
    case key(67, 73): return 0x02  // CI
    case key(78, 80): return 0x04  // NP
    case key(73, 79): return 0x08  // IO
    case key(73, 68): return 0x10  // ID
    case key(67, 82): return 0x20  // CR
    case key(83, 65): return 0x40  // SA
    case key(70, 65): return 0x80  // FA
    default: return 0
    }
  }
}
