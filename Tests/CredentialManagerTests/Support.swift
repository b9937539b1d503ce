import CredentialManager
import Foundation
import NTSecurity
import TestPeers
import Testing

/// The suites that write CRED_PERSIST_SESSION credentials or depend on the session keyring holding
/// none of another test's (whole-vault enumeration, another user's `cred list`). Session
/// credentials are shared by everything in the logon session, as on Windows, so these suites run
/// one after another. `scripts/run-tests` also starts the test process in a new session keyring,
/// so the session running `make test` is never seen or touched.
@Suite(.serialized) enum SessionKeyringSuites {}

/// A throwaway vault in a fresh temporary directory, removed at deinit.
final class TemporaryVault {
  let directory: String
  let vault: CredentialVault
  var location: VaultLocation { vault.location }

  init(protection: VaultKeyProtection = .keyFile, passphrase: (@Sendable () -> String?)? = nil) throws {
    directory = try makeTemporaryDirectory()
    vault = try CredentialVault(location: .inside(directory), protection: protection, passphrase: passphrase)
  }
  deinit { try? FileManager.default.removeItem(atPath: directory) }
}

func makeTemporaryDirectory(prefix: String = "ntsec-cred-test") throws -> String {
  let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Expects `body` to throw a NTSecurityError with `code`, and returns it.
@discardableResult
func expectCode<T>(
  _ code: WindowsErrorName, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> T
) -> NTSecurityError? {
  do {
    _ = try body()
    Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
    return nil
  } catch let error as NTSecurityError {
    #expect(error.code.name == code.rawValue, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected a NTSecurityError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

enum WindowsErrorName: String {
  case notFound = "ERROR_NOT_FOUND"
  case invalidParameter = "ERROR_INVALID_PARAMETER"
  case invalidFlags = "ERROR_INVALID_FLAGS"
  case badUsername = "ERROR_BAD_USERNAME"
  case alreadyExists = "ERROR_ALREADY_EXISTS"
  case invalidAccountName = "ERROR_INVALID_ACCOUNT_NAME"
  case noSuchLogonSession = "ERROR_NO_SUCH_LOGON_SESSION"
  case cancelled = "ERROR_CANCELLED"
  case wrongPassword = "ERROR_WRONG_PASSWORD"
  case decryptionFailed = "ERROR_DECRYPTION_FAILED"
  case accessDenied = "ERROR_ACCESS_DENIED"
  case notSupported = "ERROR_NOT_SUPPORTED"
  case noSuchDomain = "ERROR_NO_SUCH_DOMAIN"
  case invalidHandle = "ERROR_INVALID_HANDLE"
}

/// The built `ntsec` executable (and the crash tester beside it) and helpers to run them.
enum NTSecBinary {
  static var path: String? { builtProduct("ntsec") }
  /// `NTSecurityCrashTester`: the vault writers the crash and concurrency tests start and kill.
  static var crashTester: String? { builtProduct("NTSecurityCrashTester") }

  struct Result {
    let status: Int32
    let output: String
    let error: String
  }

  /// Runs `executable arguments` with `environment`, feeding `stdin`.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String], stdin: String? = nil
  ) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.environment = environment
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let errData = ReadAll(err.fileHandleForReading)
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, output: String(decoding: data, as: UTF8.self),
      error: String(decoding: errData.wait(), as: UTF8.self))
  }

  /// An environment for a vault under `home`, without a D-Bus session.
  static func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = home
    env["XDG_DATA_HOME"] = home + "/data"
    env["XDG_CONFIG_HOME"] = home + "/config"
    env.removeValue(forKey: "DBUS_SESSION_BUS_ADDRESS")
    for (k, v) in extra { env[k] = v }
    return env
  }
}

/// Reads a pipe to its end on another thread (so two pipes can be drained at once).
final class ReadAll: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)
  init(_ handle: FileHandle) {
    Thread.detachNewThread {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }
  }
  func wait() -> Data {
    done.wait()
    return data
  }
}

/// Finds a program on PATH.
func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
    let p = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}
