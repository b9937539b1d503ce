import ArgumentParser
import NTSecurity

struct SIDCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sid",
    abstract: "Parse SIDs and list the well-known ones.",
    subcommands: [Parse.self, WellKnown.self]
  )

}

extension WellKnownSIDType {
  /// Finds a type by its Windows name, its Swift name or either without `Win`/`Sid`
  /// (case-insensitive), or by number.
  static func named(_ text: String) -> WellKnownSIDType? {
    if let n = Int32(text) { return WellKnownSIDType(rawValue: n) }
    func core(_ s: String) -> String {
      var s = s.lowercased()
      if s.hasPrefix("win") { s.removeFirst(3) }
      if s.hasSuffix("sid") { s.removeLast(3) }
      return s
    }
    let wanted = core(text)
    return allCases.first { core($0.windowsName) == wanted }
  }
}
