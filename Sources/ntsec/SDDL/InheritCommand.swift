import ArgumentParser
import NTSecIO
import NTSecurity

/// `ntsec inherit`: CreatePrivateObjectSecurityEx on the command line.
struct InheritCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inherit",
    abstract:
      "The security descriptor of a new object created under a parent (CreatePrivateObjectSecurityEx).",
    discussion: """
      Prints the new object's SDDL. Without --token the creator is a SYSTEM-like token: user SY, \
      owner BA (as Windows gives LocalSystem), primary group SY, groups BA (owner), WD and AU, \
      System integrity, SeSecurityPrivilege and SeRestorePrivilege enabled, default DACL \
      (A;;GA;;;SY)(A;;GRGXRC;;;BA).
      Flags default to dacl_auto_inherit,sacl_auto_inherit (what NTFS and the registry use); \
      --flags none gives CreatePrivateObjectSecurity. Flag names: \
      \(InheritCommand.flagNames.map(\.0).joined(separator: ", ")).
      Bad input is reported as "ntsec: error: CODE: message" on standard error, exit status 1.
      """)

  @OptionGroup var domain: DomainOption
  @Option(help: "The parent container's descriptor (SDDL).") var parent: String
  @Option(help: "The descriptor the creator asks for (SDDL).") var creator: String?
  @Flag(help: "The new object is a container (directory, key, DS object).") var container = false
  @Option(help: "Token JSON file of the creator (docs/token-format.md).", completion: .file()) var token:
    String?
  @Option(
    help: "Generic mapping: file, directory, registry, ds, token, process or thread.",
    completion: .list(["file", "directory", "registry", "ds", "token", "process", "thread"]))
  var mapping = "file"
  @Option(help: "Comma-separated SEF_* flags (lower case, no prefix), or none.")
  var flags = "dacl_auto_inherit,sacl_auto_inherit"
  @Option(name: .customLong("object-type"), help: "A class GUID of the new object (repeatable).")
  var objectTypes: [String] = []

  static let flagNames: [(String, AutoInheritFlags)] = [
    ("dacl_auto_inherit", .daclAutoInherit), ("sacl_auto_inherit", .saclAutoInherit),
    ("default_descriptor_for_object", .defaultDescriptorForObject),
    ("avoid_privilege_check", .avoidPrivilegeCheck), ("avoid_owner_check", .avoidOwnerCheck),
    ("default_owner_from_parent", .defaultOwnerFromParent),
    ("default_group_from_parent", .defaultGroupFromParent), ("macl_no_write_up", .maclNoWriteUp),
    ("macl_no_read_up", .maclNoReadUp), ("macl_no_execute_up", .maclNoExecuteUp),
    ("avoid_owner_restriction", .avoidOwnerRestriction), ("force_user_mode", .forceUserMode),
  ]

  static let mappings: [String: GenericMapping] = [
    "file": .file, "directory": .directory, "registry": .registryKey,
    "ds": .directoryServiceObject, "token": .token, "process": .process, "thread": .thread,
  ]

  /// The token used without --token.
  static var systemToken: AccessToken {
    let groups = [
      SIDAndAttributes(.builtinAdministrators, [.mandatory, .enabledByDefault, .enabled, .owner]),
      SIDAndAttributes(.everyone, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.authenticatedUsers, [.mandatory, .enabledByDefault, .enabled]),
      SIDAndAttributes(.systemLabel, [.integrity, .integrityEnabled]),
    ]
    let defaultDACL = ACL(aces: [
      .allow(.localSystem, .genericAll),
      .allow(.builtinAdministrators, [.genericRead, .genericExecute, .readControl]),
    ])
    return AccessToken(
      user: .localSystem, groups: groups,
      privileges: [
        LUIDAndAttributes(.security, [.enabled]), LUIDAndAttributes(.restore, [.enabled]),
      ],
      owner: .builtinAdministrators, primaryGroup: .localSystem, defaultDACL: defaultDACL)
  }

  func fail(_ code: WindowsError, _ message: String) -> CLIFailure {
    CLIFailure(code: code, message: message)
  }

  func run() throws {
    let domainSID = try domain.resolve()
    guard let genericMapping = Self.mappings[mapping] else {
      throw fail(.invalidParameter, "unknown mapping '\(mapping)'")
    }
    var sefFlags = AutoInheritFlags()
    for name in flags.split(separator: ",").map({ $0.filter { $0 != " " } }) where name != "none" {
      guard let flag = Self.flagNames.first(where: { $0.0 == name.lowercased() })?.1 else {
        throw fail(.invalidFlags, "unknown flag '\(name)'")
      }
      sefFlags.insert(flag)
    }
    var guids = [GUID]()
    for text in objectTypes {
      guard let guid = GUID(text) else { throw fail(.invalidParameter, "bad GUID '\(text)'") }
      guids.append(guid)
    }
    let creatorToken: AccessToken
    if let token {
      creatorToken = try loadToken(token)
    } else {
      creatorToken = Self.systemToken
    }
    let parentSD: SecurityDescriptor
    do { parentSD = try SecurityDescriptor(sddl: parent, domain: domainSID) } catch {
      throw ArgumentFailure(text: parent, error: error)
    }
    let creatorSD: SecurityDescriptor?
    do { creatorSD = try creator.map { try SecurityDescriptor(sddl: $0, domain: domainSID) } } catch {
      throw ArgumentFailure(text: creator, error: error)
    }
    let sd = try SecurityDescriptor.inherited(
      from: parentSD, creator: creatorSD, isContainer: container, objectTypes: guids,
      token: creatorToken, mapping: genericMapping, flags: sefFlags)
    print(try sd.sddl(domain: domainSID))
  }
}
