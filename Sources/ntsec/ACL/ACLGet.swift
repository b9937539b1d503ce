import ArgumentParser
import NTSecIO
import NTSecurity
import ObjectSecurity

/// `ntsec acl get PATH`: GetNamedSecurityInfo, printed as one SDDL line (or JSON).
struct ACLGet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "get", abstract: "Print a file's security descriptor as one SDDL line.")

  @OptionGroup var options: ACLOptions
  @Argument(help: "The file or directory.") var path: String
  @Flag(help: "SDDL (the default).") var sddl = false
  @Flag(help: "JSON: path, sddl, and where the descriptor came from.") var json = false
  @Option(help: "Parts to show: owner,group,dacl,sacl (default all four).") var info: String?

  func run() throws {
    let information = try ACLSupport.information(info, default: [.owner, .group, .dacl, .sacl])
    let store = options.store
    let sd = try store.getNamedSecurityInfo(path, .file, information)
    let text = try sd.sddl(domain: try options.domain.resolve())
    guard json else {
      print(text)
      return
    }
    let posix = try store.posixSecurity(at: path)
    let stored = try store.storedAttribute(at: path)
    var out = JSONWriter(.compact)
    out.beginObject()
    out.key("path")
    out.string(path)
    out.key("sddl")
    out.string(text)
    out.key("source")
    if let stored, stored.isTrusted(for: posix) {
      out.string("\(store.attributeName) version \(stored.version)")
    } else {
      out.string(stored == nil ? "posix" : "posix (stored descriptor out of date)")
    }
    out.endObject()
    print(out.text)
  }
}

/// `ntsec acl set PATH SDDL`: SetNamedSecurityInfo (auto-inheritance, propagation below a
/// directory) of the parts --info selects.
struct ACLSet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Set a file's security descriptor from SDDL (SetNamedSecurityInfo).",
    discussion: """
      --info defaults to the parts the SDDL has. A directory's children get the inherited ACEs \
      again; --recurse also resets their explicit ACEs (icacls /T /reset after the set). With \
      --token, AccessCheck for WRITE_OWNER, WRITE_DAC or ACCESS_SYSTEM_SECURITY comes first, and \
      the token's privileges decide owner and SACL changes.
      """)

  @OptionGroup var options: ACLOptions
  @Argument(help: "The file or directory.") var path: String
  @Argument(help: "The descriptor (SDDL).") var descriptor: String
  @Option(help: "Parts to set: owner,group,dacl,sacl,protected_dacl,unprotected_dacl,...") var info: String?
  @Flag(help: "Also reset everything below a directory to inherit only.") var recurse = false
  @Option(help: "Token JSON file of the caller (docs/token-format.md).") var token: String?

  func run() throws {
    let sd = try SecurityDescriptor(sddl: descriptor, domain: try options.domain.resolve())
    var parts = SecurityInformation()
    if sd.owner != nil { parts.insert(.owner) }
    if sd.group != nil { parts.insert(.group) }
    if sd.control.contains(.daclPresent) {
      parts.insert(.dacl)
      parts.insert(sd.control.contains(.daclProtected) ? .protectedDacl : .unprotectedDacl)
    }
    if sd.control.contains(.saclPresent) {
      parts.insert(.sacl)
      parts.insert(sd.control.contains(.saclProtected) ? .protectedSacl : .unprotectedSacl)
    }
    let information = try ACLSupport.information(info, default: parts)
    let caller = try token.map(loadToken)
    let store = options.store
    try ACLSupport.checkAccess(store, path, caller, ACLSupport.rightsToSet(information))
    try store.setNamedSecurityInfo(
      path, .file, information, owner: sd.owner, group: sd.group, dacl: sd.dacl, sacl: sd.sacl,
      token: caller)
    if recurse, try store.posixSecurity(at: path).status.isDirectory {
      try store.propagate(from: path, resetChildren: true, token: caller)
    }
  }
}
