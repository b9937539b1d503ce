import ArgumentParser
import NTSecIO
import NTSecurity
import ObjectSecurity

/// `ntsec acl check PATH --token FILE --desired MASK`: AccessCheck against a file.
struct ACLCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "AccessCheck of a token against a file's descriptor: prints granted rights and status.",
    discussion: "Exits with status 0 when access is granted, 2 when denied, 1 on bad input.")

  @OptionGroup var options: ACLOptions
  @Argument(help: "The file or directory.") var path: String
  @Option(help: "Token JSON file (docs/token-format.md).") var token: String
  @Option(help: "Desired access: icacls rights, SDDL rights or a number (generic rights mapped).")
  var desired: String

  func run() throws {
    var granted = false
    let caller = try loadToken(token)
    let result = try options.store.accessCheck(
      path, token: caller, desired: try ACLSupport.rights(desired))
    print("granted: 0x\(String(result.granted.rawValue, radix: 16)) status: \(result.status.name)")
    granted = result.isGranted
    if !granted { throw ExitCode(2) }
  }
}

/// `ntsec acl reset PATH [--recurse]`: icacls /reset: inherited ACEs only.
struct ACLReset: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Replace a file's DACL with what its parent passes on (icacls /reset).")

  @OptionGroup var options: ACLOptions
  @Argument(help: "The file or directory.") var path: String
  @Flag(help: "Also everything below a directory (/T).") var recurse = false
  @Flag(help: "Print a progress line every 1,000 files.") var progress = false

  func run() throws {
    try options.store.resetSecurity(at: path, recurse: recurse) { count, _ in
      if progress, count % 1000 == 0 { print("\(count) files") }
    }
  }
}

/// The common body of grant, deny and remove: an edit of the explicit DACL, set with
/// auto-inheritance (SetNamedSecurityInfo).
struct ACLEditArguments: ParsableArguments {
  @OptionGroup var options: ACLOptions
  @Argument(help: "The file or directory.") var path: String
  @Argument(help: "The trustee SID (S-1-... or an SDDL alias such as BA, WD).") var sid: String
  @Argument(help: "Rights: F, M, RX, R, W, D (comma-separated), SDDL rights or a number.")
  var rights: String = "F"
  @Option(help: "Inheritance: oi,ci,io,np (comma-separated).") var inherit: String?
  @Option(help: "Token JSON file of the caller; AccessCheck for WRITE_DAC first.") var token: String?

  func trustee() throws -> SID {
    do {
      let sd = try SecurityDescriptor(sddl: "O:\(sid)", domain: try options.domain.resolve())
      return sd.owner!
    } catch { throw CLIFailure(code: .invalidSid, message: "unknown SID '\(sid)'") }
  }

  func flags() throws -> ACEFlags {
    var flags = ACEFlags()
    let names: [String: ACEFlags] = [
      "oi": .objectInherit, "ci": .containerInherit, "io": .inheritOnly, "np": .noPropagateInherit,
    ]
    for name in (inherit ?? "").split(separator: ",").map({ $0.lowercased() }) {
      guard let flag = names[name] else {
        throw CLIFailure(code: .invalidFlags, message: "unknown inheritance flag '\(name)'")
      }
      flags.insert(flag)
    }
    return flags
  }

  /// Applies `edit` to the explicit ACEs of the file's DACL and sets the result.
  func apply(_ edit: ([ACE], SID, AccessMask, ACEFlags) -> [ACE]) throws {
    let store = options.store
    let caller = try token.map(loadToken)
    try ACLSupport.checkAccess(store, path, caller, ACLSupport.rightsToSet(.dacl))
    let sd = try store.getNamedSecurityInfo(path, .file, .dacl)
    let explicit = sd.dacl?.aces.filter { !$0.flags.contains(.inherited) } ?? []
    let aces = edit(explicit, try trustee(), try ACLSupport.rights(rights), try flags())
    let protection: SecurityInformation =
      sd.control.contains(.daclProtected) ? .protectedDacl : .unprotectedDacl
    try store.setNamedSecurityInfo(
      path, .file, [.dacl, protection], dacl: ACL(aces: aces), token: caller)
  }
}

/// `ntsec acl grant PATH SID RIGHTS`: icacls /grant (adds an allow ACE after the explicit denies).
struct ACLGrant: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grant", abstract: "Add an allow ACE for a SID (icacls /grant).")
  @OptionGroup var arguments: ACLEditArguments

  func run() throws {
    try arguments.apply { aces, sid, mask, flags in
      aces + [.allow(sid, mask, flags: flags)]
    }
  }
}

/// `ntsec acl deny PATH SID RIGHTS`: icacls /deny (a deny ACE first).
struct ACLDeny: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deny", abstract: "Add a deny ACE for a SID, ahead of the others (icacls /deny).")
  @OptionGroup var arguments: ACLEditArguments

  func run() throws {
    try arguments.apply { aces, sid, mask, flags in
      [.deny(sid, mask, flags: flags)] + aces
    }
  }
}

/// `ntsec acl remove PATH SID`: icacls /remove (every explicit ACE of the SID).
struct ACLRemove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove every explicit ACE of a SID (icacls /remove).")
  @OptionGroup var arguments: ACLEditArguments

  func run() throws {
    try arguments.apply { aces, sid, _, _ in aces.filter { $0.sid != sid } }
  }
}
