import ArgumentParser
import Foundation
import GSSAPI

extension GSSCommand {
  struct Mechs: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "mechs",
      abstract: "List the mechanisms: OID, name, SASL name and RFC 5587 attributes.")

    func run() throws {
      let mechs = try GSSAPI.indicateMechanisms().sorted { $0.dotted < $1.dotted }
      for mech in mechs {
        var line = "\(mech.dotted)  \(mech.name)"
        if let sasl = try? GSSAPI.inquireSASLName(forMechanism: mech) {
          line += "  sasl=\(sasl.saslMechanismName.isEmpty ? "-" : sasl.saslMechanismName)"
          if !sasl.mechanismDescription.isEmpty { line += "  \"\(sasl.mechanismDescription)\"" }
        }
        print(line)
        if let attrs = try? GSSAPI.inquireAttributes(forMechanism: mech) {
          let names = attrs.mechanismAttributes.sorted().map {
            (try? GSSAPI.displayMechanismAttribute($0).name) ?? $0.dotted
          }
          print("  attributes: " + (names.isEmpty ? "-" : names.joined(separator: " ")))
        }
      }
    }
  }
}
