import ArgumentParser
import Foundation
import LocalSecurityAuthority
import NTSecIO
import NTSecurity

/// `ntsec whoami`: print a token as Windows' `whoami /all` does — this process's token (no
/// argument), another process's (`--pid`, OpenProcessToken), a token JSON file, or the network
/// logon token Windows would build from a Kerberos PAC (`--pac`).
struct WhoamiCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "whoami",
    abstract: "Print an access token like whoami /all (this process's, a process's, token JSON or a PAC).")

  @Argument(
    help: "A token JSON file (docs/token-format.md); without it and --pid, this process's token.",
    completion: .file())
  var file: String?
  @Option(help: "The token of this process (OpenProcessToken).") var pid: Int32?
  @Flag(help: "Print the token as token JSON (docs/token-format.md).") var json = false
  @Option(
    help: "A PAC (MS-PAC; binary, or hex text; - for stdin): print the network logon token built from it.",
    completion: .file())
  var pac: String?
  @Option(
    help: "With --pac: the package that authenticated the client (kerberos, ntlm, digest, schannel).",
    completion: .list(["kerberos", "ntlm", "digest", "schannel"]))
  var package: String = "kerberos"
  @Flag(help: "Only the user (whoami /user).") var user = false
  @Flag(help: "Only the groups (whoami /groups).") var groups = false
  @Flag(help: "Only the privileges (whoami /priv).") var priv = false
  @Flag(help: "Only the claims (whoami /claims).") var claims = false
  @Flag(help: "Everything (whoami /all, the default).") var all = false
  @Option(help: "Output format: table or csv (whoami /fo).", completion: .list(["table", "csv"])) var fo:
    String = "table"
  @Flag(help: "No column headers (whoami /nh).") var nh = false

  func validate() throws {
    guard [file != nil, pac != nil, pid != nil].filter({ $0 }).count <= 1 else {
      throw ValidationError("give at most one of a token JSON file, --pac FILE and --pid PID")
    }
    guard WhoamiFormatter.Format(rawValue: fo.lowercased()) != nil else {
      throw ValidationError("--fo: expected table or csv")
    }
  }

  func run() throws {
    var formatter = WhoamiFormatter()
    formatter.format = WhoamiFormatter.Format(rawValue: fo.lowercased()) ?? .table
    formatter.noHeader = nh
    var sections = WhoamiFormatter.Sections()
    if user { sections.insert(.user) }
    if groups { sections.insert(.groups) }
    if priv { sections.insert(.privileges) }
    if claims { sections.insert(.claims) }
    if all || sections.isEmpty { sections = .all }

    let token: AccessToken
    if let pac {
      let decoded = try WhoamiCommand.loadPAC(pac)
      formatter.names = decoded.accountNames
      token = try WhoamiCommand.networkToken(decoded, package: package)
    } else if let file {
      token = try loadToken(file)
    } else {
      do { token = try LocalSecurityAuthority.processToken(pid) } catch {
        throw CLIFailure(code: error.code, message: error.message)
      }
      formatter.names = try Self.localNames(of: token)
    }
    Self.emit(token, json: json, formatter: formatter, sections: sections)
  }

  /// The host's names of a token's SIDs (LookupAccountSid), for the table.
  static func localNames(of token: AccessToken) throws -> [SID: String] {
    do { return try LocalSecurityAuthority.accountNames(of: token).mapValues(\.qualifiedName) } catch {
      throw CLIFailure(code: error.code, message: error.message)
    }
  }

  /// Prints `token` as token JSON, or as whoami shows `sections` of it.
  static func emit(
    _ token: AccessToken, json: Bool, formatter: WhoamiFormatter, sections: WhoamiFormatter.Sections
  ) {
    if json {
      print(token.jsonLine)
    } else {
      print(formatter.render(token, sections: sections), terminator: "")
    }
  }

  static func loadPAC(_ path: String) throws -> PAC {
    var bytes: [UInt8]
    do throws(NTSecurityError) { bytes = try readInputFile(path) } catch {
      throw CLIFailure(code: error.code, message: error.message)
    }
    let text = bytes.filter { !" \n\r\t".utf8.contains($0) }
    if !text.isEmpty, text.count % 2 == 0,
      text.allSatisfy({
        UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= ($0 | 0x20)
      })
    {
      bytes = stride(from: 0, to: text.count, by: 2).map {
        UInt8(String(decoding: text[$0..<$0 + 2], as: UTF8.self), radix: 16)!
      }
    }
    do { return try PAC(bytes: bytes) } catch {
      throw CLIFailure(
        code: error.code,
        message: "\(path): \(error.message)" + (error.offset.map { " at offset \($0)" } ?? ""))
    }
  }

  static func networkToken(_ pac: PAC, package: String) throws -> AccessToken {
    let packages: [String: NetworkLogonOptions.Package] = [
      "kerberos": .kerberos, "ntlm": .ntlm, "digest": .digest, "schannel": .schannel,
    ]
    guard let chosen = packages[package.lowercased()] else {
      throw CLIFailure(
        code: .invalidParameter, message: "--package: expected kerberos, ntlm, digest or schannel")
    }
    do { return try AccessToken(networkLogonFrom: pac, options: NetworkLogonOptions(package: chosen)) } catch
    {
      throw CLIFailure(code: error.code, message: error.message)
    }
  }
}
