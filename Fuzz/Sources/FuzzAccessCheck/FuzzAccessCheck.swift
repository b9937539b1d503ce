import NTSecurity

/// AccessCheck over random descriptors and random tokens never crashes, and its results keep
/// their invariants. The first 32 bytes build the token and the request; the rest is a
/// self-relative security descriptor.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard bytes.count >= 32 else { return 0 }
  let header = Array(bytes[0..<32])
  guard let descriptor = try? SecurityDescriptor(bytes: Array(bytes[32...])) else { return 0 }
  let request = FuzzRequest(header)
  let result: AccessCheckResult
  do {
    result = try AccessCheck.evaluate(
      token: request.token, descriptor: descriptor, desired: request.desired, mapping: request.mapping,
      objectTypes: request.objectTypes, principalSelf: request.principalSelf,
      backupIntent: request.backupIntent)
  } catch {
    return 0
  }
  let requested = request.desired.subtracting(.maximumAllowed)
  if result.isGranted {
    precondition(result.granted.isSuperset(of: requested), "granted \(result.granted) lacks \(requested)")
    precondition(!result.granted.isEmpty, "success with nothing granted")
  } else {
    precondition(result.granted.isEmpty && result.privilegesUsed.isEmpty, "denied result carries rights")
  }
  precondition(result.objectTypes.count == request.objectTypes.count, "one result per object type")
  if let root = result.objectTypes.first {
    precondition(root.status == result.status, "the root's status is the result's")
  }
  // The same request again gives the same answer (no hidden state).
  let again = try? AccessCheck.evaluate(
    token: request.token, descriptor: descriptor, desired: request.desired, mapping: request.mapping,
    objectTypes: request.objectTypes, principalSelf: request.principalSelf, backupIntent: request.backupIntent
  )
  precondition(again == result, "access check is not deterministic")
  return 0
}

/// A token and a request decoded from 32 fuzz bytes.
struct FuzzRequest {
  var token: AccessToken
  var desired: AccessMask
  var mapping: GenericMapping
  var objectTypes: [ObjectTypeEntry]
  var principalSelf: SID?
  var backupIntent: Bool

  /// SIDs the fuzzer picks from, so that ACE trustees and token SIDs meet often.
  static let sids: [SID] = [
    "S-1-1-0", "S-1-5-11", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-18", "S-1-3-4", "S-1-5-10", "S-1-5-12",
    "S-1-5-33", "S-1-3-0", "S-1-5-21-1-2-3-500", "S-1-5-21-1-2-3-513", "S-1-5-21-1-2-3-1001",
    "S-1-16-4096", "S-1-16-8192", "S-1-16-12288",
  ].map { try! SID(parsing: $0) }

  static let mappings: [GenericMapping] = [
    .file, .registryKey, .directoryServiceObject, .token, .process, .thread,
  ]

  init(_ h: [UInt8]) {
    func sid(_ b: UInt8) -> SID { FuzzRequest.sids[Int(b) % FuzzRequest.sids.count] }
    var groups: [SIDAndAttributes] = []
    for i in 0..<6 where h[1 + 2 * i] & 0x80 != 0 {
      groups.append(
        SIDAndAttributes(sid(h[1 + 2 * i]), GroupAttributes(rawValue: UInt32(h[2 + 2 * i]) & 0x7F)))
    }
    var privileges: [LUIDAndAttributes] = []
    for (bit, privilege) in [Privilege.security, .takeOwnership, .relabel, .backup, .restore, .changeNotify]
      .enumerated()
    where h[13] & (1 << bit) != 0 {
      privileges.append(LUIDAndAttributes(privilege, h[14] & (1 << bit) != 0 ? [.enabled] : []))
    }
    var restricting: [SID] = []
    for i in 0..<3 where h[15 + i] & 0x80 != 0 { restricting.append(sid(h[15 + i])) }
    token = AccessToken(
      user: sid(h[0]), groups: groups, privileges: privileges,
      type: h[18] & 1 != 0 ? .impersonation : .primary,
      impersonationLevel: ImpersonationLevel(rawValue: UInt32(h[18] >> 1) & 3) ?? .anonymous,
      mandatoryPolicy: MandatoryPolicy(rawValue: UInt32(h[18] >> 3) & 3))
    if h[18] & 0x20 != 0 {
      token.integrityLevel = [.lowLabel, .mediumLabel, .highLabel, .untrustedLabel][Int(h[19] & 3)]
    }
    if h[18] & 0x40 != 0 {
      token.user.attributes = [.useForDenyOnly]
    }
    if !restricting.isEmpty {
      token =
        (try? token.restricted(restricting: restricting, flags: h[18] & 0x80 != 0 ? .writeRestricted : []))
        ?? token
    }
    let raw = UInt32(h[20]) | UInt32(h[21]) << 8 | UInt32(h[22]) << 16 | UInt32(h[23]) << 24
    desired = AccessMask(rawValue: raw)
    if h[24] & 1 != 0 { desired.insert(.maximumAllowed) }
    if h[24] & 2 == 0 { desired.subtract(.generic) }
    mapping = FuzzRequest.mappings[Int(h[25]) % FuzzRequest.mappings.count]
    objectTypes = []
    let count = Int(h[26] & 7)
    var previous: UInt16 = 0
    for i in 0..<count {
      // Mostly well-formed trees: one root, each level at most one deeper than the last.
      let level = i == 0 ? 0 : max(1, min(previous + 1, UInt16(h[27 + i % 4] & 3)))
      previous = level
      var guidBytes = [UInt8](repeating: 0, count: 16)
      guidBytes[0] = h[28 + i % 4] & 3
      objectTypes.append(ObjectTypeEntry(level: level, GUID(wireBytes: guidBytes)))
    }
    principalSelf = h[31] & 0x80 != 0 ? sid(h[31]) : nil
    backupIntent = h[31] & 0x40 != 0
  }
}
