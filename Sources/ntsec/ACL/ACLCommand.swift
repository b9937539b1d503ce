import ArgumentParser
import NTSecIO
import NTSecurity
import ObjectSecurity

/// `ntsec acl`: security descriptors of Linux files as Samba's acl_xattr keeps them (icacls-shaped).
struct ACLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "acl",
    abstract: "Get, set, check and edit the NT security of files (security.NTACL, as Samba keeps it).",
    discussion: """
      Descriptors live in the security.NTACL attribute (root) or user.NTACL (other users, which \
      Samba does not read); a file without one shows the descriptor Samba maps from its POSIX \
      owner, group, mode and ACLs. Bad input is reported as "ntsec: error: CODE: message" on standard error, exit status 1.
      """,
    subcommands: [
      ACLGet.self, ACLSet.self, ACLCheck.self, ACLReset.self, ACLGrant.self, ACLDeny.self,
      ACLRemove.self,
    ])
}

/// What the acl subcommands share: the attribute choice, error printing, --info parsing.
struct ACLOptions: ParsableArguments {
  @OptionGroup var domain: DomainOption
  @Option(help: "The attribute holding descriptors (default: security.NTACL as root, else user.NTACL).")
  var attribute: String?

  var store: FileSecurity { FileSecurity(attributeName: attribute) }
}

enum ACLSupport {
  static let infoNames: [(String, SecurityInformation)] = [
    ("owner", .owner), ("group", .group), ("dacl", .dacl), ("sacl", .sacl),
    ("protected_dacl", .protectedDacl), ("unprotected_dacl", .unprotectedDacl),
    ("protected_sacl", .protectedSacl), ("unprotected_sacl", .unprotectedSacl),
  ]

  /// `owner,group,dacl,sacl` (and the protection flags) to SECURITY_INFORMATION.
  static func information(_ text: String?, default fallback: SecurityInformation) throws
    -> SecurityInformation
  {
    guard let text else { return fallback }
    var info = SecurityInformation()
    for name in text.split(separator: ",").map({ $0.lowercased() }) {
      guard let flag = infoNames.first(where: { $0.0 == name })?.1 else {
        throw CLIFailure(code: .invalidFlags, message: "unknown --info part '\(name)'")
      }
      info.insert(flag)
    }
    return info
  }

  static let rightNames: [(String, UInt32)] = [
    ("F", 0x1F_01FF), ("M", 0x13_01BF), ("RX", 0x12_00A9), ("R", 0x12_0089), ("W", 0x10_0116),
    ("D", 0x1_0000),
  ]

  /// icacls rights (F, M, RX, R, W, D, comma-separated), SDDL rights (FA, FRFW ...) or a number.
  static func rights(_ text: String) throws -> AccessMask {
    var mask: UInt32 = 0
    for part in text.split(separator: ",").map(String.init) {
      if let named = rightNames.first(where: { $0.0 == part.uppercased() }) {
        mask |= named.1
      } else if let number = parseNumber(part), number <= UInt64(UInt32.max) {
        mask |= UInt32(number)
      } else {
        do {
          mask |= try SecurityDescriptor(sddl: "D:(A;;\(part);;;WD)").dacl!.aces[0].mask.rawValue
        } catch {
          throw CLIFailure(code: .invalidParameter, message: "unknown rights '\(part)'")
        }
      }
    }
    return AccessMask(rawValue: mask)
  }

  /// With a token, AccessCheck for `desired` on the file first (ntsec checks before it writes).
  static func checkAccess(_ store: FileSecurity, _ path: String, _ token: AccessToken?, _ desired: AccessMask)
    throws
  {
    guard let token else { return }
    let result = try store.accessCheck(path, token: token, desired: desired)
    guard result.isGranted else {
      throw CLIFailure(code: .accessDenied, message: "\(path): the token lacks \(desired)")
    }
  }

  /// The rights a change of `information` needs (WRITE_OWNER, WRITE_DAC, ACCESS_SYSTEM_SECURITY).
  static func rightsToSet(_ information: SecurityInformation) -> AccessMask {
    var mask = AccessMask()
    if !information.isDisjoint(with: [.owner, .group]) { mask.insert(AccessMask(rawValue: 0x8_0000)) }
    if information.contains(.dacl) { mask.insert(AccessMask(rawValue: 0x4_0000)) }
    if information.contains(.sacl) { mask.insert(AccessMask(rawValue: 0x100_0000)) }
    return mask
  }
}
