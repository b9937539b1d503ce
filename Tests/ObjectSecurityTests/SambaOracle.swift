import Foundation
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// Samba's own view of NT ACLs (python3-samba: `smbd.get_nt_acl`, `ntacls.setntacl`) in one
/// long-lived process per test, fed JSON lines (scripts/samba-ntacl-oracle.py), over a fresh
/// temporary share directory.
final class SambaOracle {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/samba-ntacl-oracle.py").path

  let work: String
  /// The share's directory: the files under test go here.
  let share: String
  private let peer: LinePeer

  init() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
      throw TestFailure(text: "/usr/bin/python3 missing: run scripts/install-deps")
    }
    work = try TemporaryDirectory.make("objsec-samba")
    share = work + "/share"
    try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
    peer = try LinePeer("/usr/bin/python3", [Self.script, work, share])
    let ready = try answer()
    guard ready["ready"] as? Bool == true else {
      throw TestFailure(text: "samba oracle did not start (python3-samba missing? scripts/install-deps)")
    }
  }

  deinit {
    _ = peer.finish()
    try? FileManager.default.removeItem(atPath: work)
  }

  private func answer() throws -> [String: Any] {
    guard let line = peer.receive() else {
      let (status, errors) = peer.finish()
      throw TestFailure(text: "samba oracle exited (\(status)): \(errors)")
    }
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else { throw TestFailure(text: "samba oracle said \(line)") }
    return object
  }

  private func request(_ fields: [String: String]) throws -> [String: Any] {
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    peer.send(String(decoding: data, as: UTF8.self))
    let reply = try answer()
    if let error = reply["error"] as? String {
      throw TestFailure(text: "samba \(fields["op"] ?? ""): \(error)")
    }
    return reply
  }

  private func descriptor(_ op: String, _ path: String) throws -> SecurityDescriptor {
    let hex = try request(["op": op, "path": path])["sd"] as? String ?? ""
    return try SecurityDescriptor(bytes: Self.bytes(hex: hex))
  }

  /// What smbd (acl_xattr) shows for `path`: owner, group, DACL, SACL.
  func get(_ path: String) throws -> SecurityDescriptor { try descriptor("get", path) }
  /// The POSIX layer's descriptor for `path` (no acl_xattr, `dos filemode`).
  func posix(_ path: String) throws -> SecurityDescriptor { try descriptor("posix", path) }
  /// The descriptor Samba finds stored in `security.NTACL`, unchecked.
  func raw(_ path: String) throws -> SecurityDescriptor { try descriptor("raw", path) }

  /// `ntacls.setntacl` as smbd stores it (version 4, POSIX side changed); `version1` stores
  /// version 1 as `--use-ntvfs` does.
  func set(_ sd: SecurityDescriptor, on path: String, version1: Bool = false) throws {
    _ = try request([
      "op": version1 ? "setv1" : "set", "path": path,
      "sd": sd.bytes.map { String(format: "%02x", $0) }.joined(),
    ])
  }

  static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = hex.utf8.makeIterator()
    while let a = it.next(), let b = it.next() {
      out.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16) ?? 0)
    }
    return out
  }
}

/// A fresh directory under the system's temporary directory.
enum TemporaryDirectory {
  static func make(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// Random descriptors Samba's NDR carries unchanged: owner, group and DACL always, SACL often;
/// allow, deny and object ACEs with every inheritance flag, audit and label ACEs in the SACL,
/// random control bits.
struct SambaDescriptorGenerator {
  var rng: SplitMix64

  init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  mutating func sid() -> SID {
    switch Int.random(in: 0..<5, using: &rng) {
    case 0: return POSIXMapping.userSID(UInt32.random(in: 0...70000, using: &rng))
    case 1: return POSIXMapping.groupSID(UInt32.random(in: 0...70000, using: &rng))
    case 2:
      return [
        SID.everyone, .creatorOwner, .creatorGroup, try! SID(authority: 5, [18]),
        try! SID(authority: 5, [32, 544]),
      ].randomElement(using: &rng)!
    default:
      return try! SID(
        authority: 5,
        [21] + (0..<3).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) }
          + [UInt32.random(in: 500...5000, using: &rng)])
    }
  }

  /// SDDL cannot write an object ACE with neither GUID: for SDDL, every object ACE gets one.
  var sddlExpressible = false

  mutating func guid() -> GUID? {
    guard Bool.random(using: &rng) else { return nil }
    return GUID(wireBytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
  }

  mutating func ace(sacl: Bool) -> ACE {
    let types: [ACEType] =
      sacl
      ? [.systemAudit, .systemAuditObject, .systemMandatoryLabel]
      : [.accessAllowed, .accessDenied, .accessAllowedObject, .accessDeniedObject]
    let type = types.randomElement(using: &rng)!
    var flags = ACEFlags(rawValue: UInt8.random(in: 0...0x1F, using: &rng))
    if sacl, type != .systemMandatoryLabel {
      flags.formUnion(ACEFlags(rawValue: UInt8.random(in: 1...3, using: &rng) << 6))
    }
    var mask = AccessMask(rawValue: UInt32.random(in: 0...UInt32.max, using: &rng))
    if Bool.random(using: &rng) { mask = AccessMask(rawValue: mask.rawValue & 0x1F_01FF) }
    if type == .systemMandatoryLabel { mask = AccessMask(rawValue: mask.rawValue & 7) }
    let sid =
      type == .systemMandatoryLabel
      ? try! SID(authority: 16, [[0x1000, 0x2000, 0x3000].randomElement(using: &rng)!]) : sid()
    var objectType = type.isObject ? guid() : nil
    let inheritedObjectType = type.isObject ? guid() : nil
    if type.isObject, sddlExpressible, objectType == nil, inheritedObjectType == nil {
      objectType = GUID(wireBytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
    return ACE(
      type: type, flags: flags, mask: mask, sid: sid, objectType: objectType,
      inheritedObjectType: inheritedObjectType)
  }

  mutating func descriptor(sddlExpressible: Bool = false) -> SecurityDescriptor {
    self.sddlExpressible = sddlExpressible
    let dacl = ACL(aces: (0..<Int.random(in: 0...8, using: &rng)).map { _ in ace(sacl: false) })
    let sacl =
      Bool.random(using: &rng)
      ? ACL(aces: (0..<Int.random(in: 0...4, using: &rng)).map { _ in ace(sacl: true) }) : nil
    let optional: [SecurityDescriptorControl] = [
      .daclProtected, .daclAutoInherited, .daclAutoInheritRequired, .saclProtected,
      .saclAutoInherited, .saclAutoInheritRequired,
    ]
    var control: SecurityDescriptorControl = []
    for flag in optional where Int.random(in: 0..<3, using: &rng) == 0 { control.insert(flag) }
    return SecurityDescriptor(owner: sid(), group: sid(), dacl: dacl, sacl: sacl, control: control)
  }
}

extension SambaDescriptorGenerator {
  /// A random descriptor SetNamedSecurityInfo keeps as given: SDDL-expressible, both ACLs
  /// protected, explicit ACEs without generic rights or creator SIDs (those it maps and splits,
  /// as Windows does).
  mutating func settableDescriptor() -> SecurityDescriptor {
    var sd = descriptor(sddlExpressible: true)
    sd.control.insert([.daclProtected, .saclProtected])
    func explicit(_ acl: ACL?) -> ACL? {
      acl.map {
        ACL(
          aces: $0.aces.map {
            var ace = $0
            ace.flags.remove(.inherited)
            ace.mask = AccessMask(rawValue: ace.mask.rawValue & 0x0FFF_FFFF)
            if ace.sid == .creatorOwner || ace.sid == .creatorGroup { ace.sid = .everyone }
            return ace
          })
      }
    }
    sd.dacl = explicit(sd.dacl)
    sd.sacl = explicit(sd.sacl)
    return sd
  }
}

/// SDDL for failure messages.
func show(_ sd: SecurityDescriptor) -> String { (try? sd.sddl()) ?? "\(sd)" }
