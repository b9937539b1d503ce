import ArgumentParser
import DirectoryServices
import Foundation
import NTSecurity

/// Options every DRSUAPI command takes: which DC, how long to wait.
struct DRSOptions: ParsableArguments {
  @Option(help: "The DC's DNS host name (default: a DC of --domain found with DsGetDcName).")
  var dc: String?

  @Option(help: "The DNS domain (default: the host's DNS domain).")
  var domain: String?

  @Option(help: "Seconds each connect, read and write may take.")
  var timeout: Double = 10

  /// DsBind, `body`, DsUnBind.
  func withBinding(_ body: (DsHandle) throws -> Void) throws {
    let handle = try DirectoryServices.dsBind(domainController: dc, domain: domain, timeout: timeout)
    defer { try? DirectoryServices.dsUnbind(handle) }
    try body(handle)
  }
}

/// `ntsec ds crack`: DsCrackNames.
struct DSCrack: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crack",
    abstract: "Translate names between formats (DsCrackNames over DRSUAPI).",
    discussion: """
      FORMAT is a DS_NAME_FORMAT name without DS_ and _NAME, in lower case: \
      \(DsNameFormat.named.map(\.1).joined(separator: ", ")); or a number. Names come from the \
      arguments or, when there are none, one per line from standard input; they go to the DC in \
      one call. One line per name: STATUS<TAB>DNS-DOMAIN<TAB>RESULT, STATUS the DS_NAME_* word; \
      control characters in a result (the newline of canonical_ex) are printed as \\xHH. The DC \
      is reached over DCE/RPC (endpoint mapper, then DRSUAPI) with the caller's Kerberos \
      credentials, sealed.
      """)

  @Option(help: "The format of the names given.") var from: String
  @Option(help: "The format wanted.") var to: String
  @Option(
    help: "DS_NAME_FLAG_* options: syntactical_only, eval_at_dc, gcverify, trust_referral, or a number.")
  var flags: [String] = []
  @OptionGroup var options: DRSOptions
  @Argument(help: "The names.") var names: [String] = []

  static func format(_ text: String) throws -> DsNameFormat {
    guard let f = DsNameFormat(name: text) else {
      throw ValidationError("unknown name format \"\(text)\"")
    }
    return f
  }

  static func nameFlags(_ list: [String]) throws -> DsNameFlags {
    let known: [String: DsNameFlags] = [
      "syntactical_only": .syntacticalOnly, "eval_at_dc": .evalAtDC, "gcverify": .gcVerify,
      "trust_referral": .trustReferral,
    ]
    var flags: DsNameFlags = []
    for item in list.flatMap({ $0.split(separator: ",").map(String.init) }) {
      if let f = known[item.lowercased()] {
        flags.insert(f)
      } else if let v = item.hasPrefix("0x") ? UInt32(item.dropFirst(2), radix: 16) : UInt32(item) {
        flags.insert(DsNameFlags(rawValue: v))
      } else {
        throw ValidationError("unknown DS_NAME_FLAG \"\(item)\"")
      }
    }
    return flags
  }

  /// `text` with control characters as \xHH, so a result stays on its line.
  static func escaped(_ text: String?) -> String {
    var out = ""
    for scalar in (text ?? "").unicodeScalars {
      if scalar.value < 0x20 || scalar.value == 0x7F {
        out += "\\x" + String(format: "%02x", scalar.value)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  func run() throws {
    let offered = try Self.format(from)
    let desired = try Self.format(to)
    let flags = try Self.nameFlags(self.flags)
    var input = names
    if input.isEmpty {
      // Blank lines are skipped, as in every line mode.
      while let line = readLine() { if !line.isEmpty { input.append(line) } }
    }
    guard !input.isEmpty else { return }
    try options.withBinding { handle in
      var start = 0
      while start < input.count {
        let batch = Array(input[start..<min(start + 10000, input.count)])
        let items = try DirectoryServices.dsCrackNames(
          handle, flags: flags, formatOffered: offered, formatDesired: desired, names: batch)
        for item in items {
          print("\(item.status)\t\(Self.escaped(item.domain))\t\(Self.escaped(item.name))")
        }
        start += batch.count
      }
    }
  }
}
