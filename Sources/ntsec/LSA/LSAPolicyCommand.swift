import ArgumentParser
import LocalSecurityAuthority
import NTSecIO
import NTSecurity

/// `ntsec lsa policy show|audit`: LsaQueryInformationPolicy and LsaSetInformationPolicy.
struct LSAPolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Show the policy information, or set the audit policy.",
    subcommands: [Show.self, Audit.self])

  static let categoryNames: [(String, LocalSecurityAuthority.AuditCategory)] = [
    ("system", .system), ("logon", .logon), ("object-access", .objectAccess),
    ("privilege-use", .privilegeUse),
    ("detailed-tracking", .detailedTracking), ("policy-change", .policyChange),
    ("account-management", .accountManagement), ("directory-service-access", .directoryServiceAccess),
    ("account-logon", .accountLogon),
  ]

  static func optionsText(_ options: LocalSecurityAuthority.AuditOptions) -> String {
    let words = [(LocalSecurityAuthority.AuditOptions.success, "success"), (.failure, "failure")]
      .filter { options.contains($0.0) }.map(\.1)
    return words.isEmpty ? "none" : words.joined(separator: ",")
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Print the account, primary and DNS domain, server role and audit policy.")
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let policy = try LocalSecurityAuthority.Policy(
        access: [.policyViewLocalInformation, .policyViewAuditInformation])
      guard case .accountDomain(let account) = try policy.information(.accountDomain),
        case .dnsDomain(let dns) = try policy.information(.dnsDomain),
        case .lsaServerRole(let role) = try policy.information(.lsaServerRole),
        case .auditEvents(let audit) = try policy.information(.auditEvents)
      else { throw NTSecurityError(.invalidData, "the policy answered another class") }
      let roleName = role == .primary ? "PolicyServerRolePrimary" : "PolicyServerRoleBackup"
      if json {
        var w = JSONWriter(.compact)
        w.beginObject()
        w.key("accountDomain")
        w.beginObject()
        w.field("name", account.name)
        w.field("sid", account.sid?.description)
        w.endObject()
        w.key("primaryDomain")
        w.beginObject()
        w.field("name", dns.name)
        w.field("sid", dns.sid?.description)
        w.field("dnsDomainName", dns.dnsDomainName)
        w.field("dnsForestName", dns.dnsForestName)
        w.endObject()
        w.field("serverRole", roleName)
        w.key("audit")
        w.beginObject()
        w.field("auditingMode", literal: audit.auditingMode)
        for (name, category) in LSAPolicyCommand.categoryNames {
          w.field(name, LSAPolicyCommand.optionsText(audit.options[category.rawValue]))
        }
        w.endObject()
        w.endObject()
        print(w.text)
        return
      }
      print("Account domain:  \(account.name) \(account.sid?.description ?? "")")
      print("Primary domain:  \(dns.name) \(dns.sid?.description ?? "(workgroup)")")
      print("DNS domain:      \(dns.dnsDomainName.isEmpty ? "-" : dns.dnsDomainName)")
      print("Server role:     \(roleName)")
      print("Auditing:        \(audit.auditingMode ? "on" : "off")")
      for (name, category) in LSAPolicyCommand.categoryNames {
        print("  \(name): \(LSAPolicyCommand.optionsText(audit.options[category.rawValue]))")
      }
    }
  }

  struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract: "Set the audit policy (LsaSetInformationPolicy, PolicyAuditEventsInformation).",
      discussion: "CATEGORY=success,failure|none; categories not named stay as they are.")
    @Option(help: "Auditing on or off.") var mode: String
    @Argument(help: "CATEGORY=OPTIONS, e.g. logon=success,failure.") var settings: [String] = []

    func run() throws {
      guard mode == "on" || mode == "off" else { throw ValidationError("--mode: on or off") }
      var options = [LocalSecurityAuthority.AuditOptions](
        repeating: .unchanged, count: LocalSecurityAuthority.AuditCategory.allCases.count)
      for setting in settings {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2,
          let category = LSAPolicyCommand.categoryNames.first(where: { $0.0 == parts[0] })?.1
        else { throw ValidationError("\(setting): expected CATEGORY=OPTIONS") }
        var value: LocalSecurityAuthority.AuditOptions = []
        for word in parts[1].split(separator: ",") {
          switch word {
          case "success": value.insert(.success)
          case "failure": value.insert(.failure)
          case "none": value.insert(.none)
          default: throw ValidationError("\(word): expected success, failure or none")
          }
        }
        options[category.rawValue] = value
      }
      try LocalSecurityAuthority.Policy(access: .policySetAuditRequirements)
        .setInformation(.auditEvents(.init(auditingMode: mode == "on", options: options)))
    }
  }
}
