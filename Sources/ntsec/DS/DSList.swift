import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// Prints a DsList* result: one name per line (a failed item as `STATUS<TAB>name`).
private func printList(_ items: [DsNameResultItem]) {
  for item in items {
    if item.status == .noError {
      print(DSCrack.escaped(item.name))
    } else {
      print("\(item.status)\t\(DSCrack.escaped(item.name))")
    }
  }
}

/// The given site's DN, or the first site DsListSites names.
private func siteDN(_ site: String?, _ handle: DsHandle) throws -> String {
  if let site { return site }
  guard let first = try DirectoryServices.dsListSites(handle).first(where: { $0.status == .noError })?.name
  else {
    throw NTSecurityError(.dsNoSuchObject, "DsListSites: the forest names no site")
  }
  return first
}

/// Binds, then prints `list` of the given site (or the first site).
private func printSiteList(
  _ options: DRSOptions, _ site: String?, _ list: (DsHandle, String) throws -> [DsNameResultItem]
) throws {
  try options.withBinding { printList(try list($0, try siteDN(site, $0))) }
}

/// `ntsec ds sites`: DsListSites.
struct DSSites: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sites", abstract: "List the forest's sites (DsListSites).")
  @OptionGroup var options: DRSOptions
  func run() throws {
    try options.withBinding { printList(try DirectoryServices.dsListSites($0)) }
  }
}

/// `ntsec ds servers [SITE]`: DsListServersInSite.
struct DSServers: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "servers",
    abstract: "List the servers of a site (DsListServersInSite; default: the first site).")
  @OptionGroup var options: DRSOptions
  @Argument(help: "The site's DN.") var site: String?
  func run() throws {
    try printSiteList(options, site) { try DirectoryServices.dsListServersInSite($0, site: $1) }
  }
}

/// `ntsec ds domains [SITE]`: DsListDomainsInSite.
struct DSDomains: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "domains",
    abstract: "List the domains with a DC in a site (DsListDomainsInSite; default: the first site).")
  @OptionGroup var options: DRSOptions
  @Argument(help: "The site's DN.") var site: String?
  func run() throws {
    try printSiteList(options, site) { try DirectoryServices.dsListDomainsInSite($0, site: $1) }
  }
}

/// `ntsec ds roles`: DsListRoles.
struct DSRoles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roles",
    abstract: "List the FSMO role owners (DsListRoles): schema, domain naming, PDC, RID, infrastructure.")
  @OptionGroup var options: DRSOptions
  func run() throws {
    try options.withBinding { printList(try DirectoryServices.dsListRoles($0)) }
  }
}
