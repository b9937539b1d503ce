/// The flags of a claim security attribute (`CLAIM_SECURITY_ATTRIBUTE_*`, MS-DTYP 2.4.10.1).
///
/// Bits 0–15 are defined by Windows (SDDL rejects 0xff00); bits 16–31 are free for custom use.
/// Unknown bits are kept as they are.
public struct ClaimSecurityAttributeFlags: OptionSet, Hashable, Sendable {
  public let rawValue: UInt32

  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `CLAIM_SECURITY_ATTRIBUTE_NON_INHERITABLE` (0x1).
  public static let nonInheritable = ClaimSecurityAttributeFlags(rawValue: 0x1)
  /// `CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE` (0x2).
  public static let valueCaseSensitive = ClaimSecurityAttributeFlags(rawValue: 0x2)
  /// `CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY` (0x4).
  public static let useForDenyOnly = ClaimSecurityAttributeFlags(rawValue: 0x4)
  /// `CLAIM_SECURITY_ATTRIBUTE_DISABLED_BY_DEFAULT` (0x8).
  public static let disabledByDefault = ClaimSecurityAttributeFlags(rawValue: 0x8)
  /// `CLAIM_SECURITY_ATTRIBUTE_DISABLED` (0x10).
  public static let disabled = ClaimSecurityAttributeFlags(rawValue: 0x10)
  /// `CLAIM_SECURITY_ATTRIBUTE_MANDATORY` (0x20).
  public static let mandatory = ClaimSecurityAttributeFlags(rawValue: 0x20)
}

/// The typed values of a claim security attribute. Each case holds exactly what the binary form
/// stores, so decoding and re-encoding reproduces Windows' bytes.
public enum ClaimValues: Hashable, Sendable {
  /// `TI`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_INT64` (0x1).
  case int64([Int64])
  /// `TU`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_UINT64` (0x2).
  case uint64([UInt64])
  /// `TS`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_STRING` (0x3).
  case string([String])
  /// `TD`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_SID` (0x5): the octet-string payload of each value.
  /// MS-DTYP calls it a "SID string"; SDDL input is stored as the ASCII `S-1-…` form without a
  /// terminating NUL (as Samba does). Use ``sids(_:)`` to build and ``decodedSIDs`` to read.
  case sid([[UInt8]])
  /// `TB`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_BOOLEAN` (0x6): stored as 64-bit values, 0 or 1.
  case boolean([UInt64])
  /// `TX`, `CLAIM_SECURITY_ATTRIBUTE_TYPE_OCTET_STRING` (0x10).
  case octetString([[UInt8]])

  /// The `CLAIM_SECURITY_ATTRIBUTE_TYPE_*` code.
  public var valueType: UInt16 {
    switch self {
    case .int64: return 0x1
    case .uint64: return 0x2
    case .string: return 0x3
    case .sid: return 0x5
    case .boolean: return 0x6
    case .octetString: return 0x10
    }
  }

  /// The number of values.
  public var count: Int {
    switch self {
    case .int64(let v): return v.count
    case .uint64(let v): return v.count
    case .string(let v): return v.count
    case .sid(let v): return v.count
    case .boolean(let v): return v.count
    case .octetString(let v): return v.count
    }
  }

  /// The two-letter SDDL type code (`TI`, `TU`, `TS`, `TD`, `TB`, `TX`) without the `T`.
  var sddlTypeLetter: UInt8 {
    switch self {
    case .int64: return UInt8(ascii: "I")
    case .uint64: return UInt8(ascii: "U")
    case .string: return UInt8(ascii: "S")
    case .sid: return UInt8(ascii: "D")
    case .boolean: return UInt8(ascii: "B")
    case .octetString: return UInt8(ascii: "X")
    }
  }

  /// `TD` values holding the given SIDs, in the `S-1-…` string form SDDL parsing produces.
  public static func sids(_ sids: [SID]) -> ClaimValues {
    .sid(sids.map(ClaimValues.sidPayload))
  }

  /// `TB` values from Booleans.
  public static func booleans(_ values: [Bool]) -> ClaimValues {
    .boolean(values.map { $0 ? 1 : 0 })
  }

  /// For `TD`, each payload read as a SID (the `S-1-…` string form, with or without a NUL, or a
  /// binary SID), or nil where it is neither; nil for other types.
  public var decodedSIDs: [SID?]? {
    guard case .sid(let payloads) = self else { return nil }
    return payloads.map(ClaimValues.decodeSIDPayload)
  }

  /// The payload stored for a `TD` value: the ASCII string form of the SID.
  static func sidPayload(_ sid: SID) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(16 + 11 * sid.subAuthorityCount)
    sid.appendString(to: &out)
    return out
  }

  /// Reads a `TD` payload as a SID: the `S-1-…` string (optionally NUL-terminated) or a binary SID
  /// of exactly the payload's length.
  static func decodeSIDPayload(_ payload: [UInt8]) -> SID? {
    var text = payload
    if text.last == 0 { text.removeLast() }
    if text.count >= 2, text[0] | 0x20 == UInt8(ascii: "s"), text[1] == UInt8(ascii: "-"),
      let (sid, end) = try? SID.parseNumeric(text, at: 0), end == text.count
    {
      return sid
    }
    if let sid = try? SID(bytes: payload), sid.length == payload.count { return sid }
    return nil
  }
}

/// A claim security attribute in the self-relative form of MS-DTYP 2.4.10.1
/// (`CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1`): the payload of a `SYSTEM_RESOURCE_ATTRIBUTE_ACE`
/// (MS-DTYP 2.4.4.15) after its SID, and the `("name",TI,0x0,…)` part of an SDDL `RA` ACE.
public struct ClaimSecurityAttribute: Hashable, Sendable {
  /// The attribute name; never empty.
  public var name: String
  /// The attribute flags.
  public var flags: ClaimSecurityAttributeFlags
  /// The values, which also fix the value type.
  public var values: ClaimValues

  /// Creates an attribute.
  public init(name: String, flags: ClaimSecurityAttributeFlags = [], values: ClaimValues) {
    self.name = name
    self.flags = flags
    self.values = values
  }

  /// The `CLAIM_SECURITY_ATTRIBUTE_TYPE_*` code: 0x1 `TI`, 0x2 `TU`, 0x3 `TS`, 0x5 `TD`,
  /// 0x6 `TB`, 0x10 `TX`.
  public var valueType: UInt16 { values.valueType }
}

extension ClaimSecurityAttribute: CustomStringConvertible {
  /// The SDDL form, as ``sddl``.
  public var description: String { sddl }
}
