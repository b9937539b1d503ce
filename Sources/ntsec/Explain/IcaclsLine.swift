import NTSecurity

/// An ACE as icacls prints it: `BUILTIN\Users:(OI)(CI)(RX)`. The inheritance flags first
/// ((I) inherited, (OI), (CI), (IO), (NP)), `(DENY)` for a deny ACE, then the rights: icacls'
/// simple rights (F, M, RX, R, W, D) when they cover the mask exactly, else its list of special
/// rights (RD, WD, AD, …, GR, GA). For objects other than files and directories the rights are
/// the object's own names.
enum IcaclsLine {
  /// icacls' simple rights, largest first.
  static let simple: [(UInt32, String)] = [
    (0x001F_01FF, "F"), (0x0013_01BF, "M"), (0x0012_00A9, "RX"), (0x0012_0089, "R"), (0x0010_0116, "W"),
    (0x0001_0000, "D"),
  ]
  /// icacls' special rights, in its order.
  static let special: [(UInt32, String)] = [
    (0x1_0000, "DE"), (0x2_0000, "RC"), (0x4_0000, "WDAC"), (0x8_0000, "WO"), (0x10_0000, "S"),
    (0x100_0000, "AS"), (0x200_0000, "MA"), (0x8000_0000, "GR"), (0x4000_0000, "GW"), (0x2000_0000, "GE"),
    (0x1000_0000, "GA"), (0x1, "RD"), (0x2, "WD"), (0x4, "AD"), (0x8, "REA"), (0x10, "WEA"), (0x20, "X"),
    (0x40, "DC"), (0x80, "RA"), (0x100, "WA"),
  ]

  static func line(_ ace: ACE, trustee: String, names: RightNames) -> String {
    var text = trustee + ":"
    let flags = ace.flags
    for (flag, label) in [
      (ACEFlags.inherited, "I"), (.objectInherit, "OI"), (.containerInherit, "CI"), (.inheritOnly, "IO"),
      (.noPropagateInherit, "NP"),
    ] where flags.contains(flag) {
      text += "(\(label))"
    }
    if ace.type.isDeny { text += "(DENY)" }
    return text + "(" + rights(ace.mask, names: names) + ")"
  }

  /// The rights part, without the parentheses.
  static func rights(_ mask: AccessMask, names: RightNames) -> String {
    guard names == .file || names == .directory else {
      return names.names(mask).joined(separator: ",")
    }
    let m = mask.rawValue
    if let exact = simple.first(where: { $0.0 == m }) { return exact.1 }
    // A union of RX (or R), W and D shows as such (M already is RX,W,D).
    var parts: [String] = []
    var covered: UInt32 = 0
    for (bits, letter) in simple.dropFirst(2)
    where m & bits == bits && !(letter == "R" && parts.contains("RX")) {
      parts.append(letter)
      covered |= bits
    }
    if covered == m, !parts.isEmpty { return parts.joined(separator: ",") }
    let listed = special.filter { mask.rawValue & $0.0 != 0 }.map(\.1)
    let unnamed = mask.rawValue & ~special.reduce(0) { $0 | $1.0 }
    return (listed + (unnamed == 0 ? [] : ["0x" + String(unnamed, radix: 16)])).joined(separator: ",")
  }
}
