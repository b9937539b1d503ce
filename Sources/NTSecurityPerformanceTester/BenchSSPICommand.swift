import ArgumentParser
import Foundation
import GSSAPI
import SSPI

/// `NTSecurityPerformanceTester bench-sspi`: the SSPI side of scripts/bench-compare's SSPI suite, the loops of
/// `NTSecurityPerformanceTester bench-gss` through the SSPI calls a Windows program makes (Kerberos package), timed the
/// same way, so the two give the SSPI layer's overhead over raw GSS-API. `--paired` also times
/// the GSS-API loop in this process, batches of the two alternating, so both run under the same
/// conditions on a noisy machine.
struct BenchSSPICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-sspi", abstract: "SSPI micro-benchmark for scripts/bench-compare.")

  @Argument(
    help:
      "context (InitializeSecurityContext/AcceptSecurityContext exchange, then DeleteSecurityContext), encrypt16k or encrypt64 (EncryptMessage+DecryptMessage), sign64 (MakeSignature)."
  )
  var operation: String
  @Argument(help: "Seconds to run (each side, with --paired).") var seconds: Double
  @Flag(help: "Also time bench-gss's loop for the operation, alternating batches; prints gss_ops_per_sec.")
  var paired = false

  static let target = "host/localhost"
  static let requirements: SSPI.InitializeRequirements = [.mutualAuth, .confidentiality, .integrity]

  func run() throws {
    // decided once: neither the property wrapper's getter nor string comparisons are timed
    guard let op = Loop(operation) else { throw ValidationError("unknown operation \(operation)") }
    let message = [UInt8](repeating: 0x5a, count: operation == "encrypt16k" ? 16384 : 64)
    let sspi = try Self.sspiBatch(op, message)
    var sspiTime = BatchTime()
    if paired {
      let gss = try Self.gssBatch(op, message)
      var gssTime = BatchTime()
      while gssTime.seconds < seconds || sspiTime.seconds < seconds {
        try gssTime.run(gss)
        try sspiTime.run(sspi)
      }
      print("gss_ops_per_sec=\(gssTime.rate)")
    } else {
      while sspiTime.seconds < seconds { try sspiTime.run(sspi) }
    }
    print("ops_per_sec=\(sspiTime.rate)")
  }

  /// Operations and process CPU time of the batches run so far.
  struct BatchTime {
    var ops = 0
    var seconds = 0.0
    var rate: String { String(format: "%.1f", Double(ops) / seconds) }

    mutating func run(_ batch: () throws -> Int) rethrows {
      let start = BenchClock.processCPU.seconds
      ops += try batch()
      seconds += BenchClock.processCPU.seconds - start
    }
  }

  /// The timed loop an operation name selects.
  enum Loop {
    case context, encrypt, sign

    init?(_ operation: String) {
      switch operation {
      case "context": self = .context
      case "encrypt16k", "encrypt64": self = .encrypt
      case "sign64": self = .sign
      default: return nil
      }
    }
  }

  /// A batch of the SSPI operation (8 exchanges or 64 messages); returns how many it did.
  static func sspiBatch(_ op: Loop, _ message: [UInt8]) throws -> () throws -> Int {
    let client = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound).credentials
    let server = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound).credentials
    let (ic, ac) = try establish(client, server)  // also puts the service ticket in the cache
    let sizes = try ic.sizes()
    switch op {
    case .context:
      return {
        for _ in 0..<8 {
          let (a, b) = try establish(client, server)
          a.delete()
          b.delete()
        }
        return 8
      }
    case .encrypt:
      return {
        for _ in 0..<64 {
          // Windows' layout: SECBUFFER_TOKEN (cbSecurityTrailer), DATA, PADDING (cbBlockSize).
          var m: SSPI.SecurityBufferDescriptor = [
            SSPI.SecurityBuffer(.token, size: Int(sizes.securityTrailer)),
            SSPI.SecurityBuffer(.data, message),
            SSPI.SecurityBuffer(.padding, size: Int(sizes.blockSize)),
          ]
          try ic.encryptMessage(&m)
          try ac.decryptMessage(&m)
          guard m.buffers[1].bytes.count == message.count else {
            throw ValidationError("DecryptMessage length")
          }
        }
        return 64
      }
    case .sign:
      return {
        for _ in 0..<64 {
          var m: SSPI.SecurityBufferDescriptor = [
            SSPI.SecurityBuffer(.data, message), SSPI.SecurityBuffer(.token, size: Int(sizes.maxSignature)),
          ]
          try ic.makeSignature(&m)
        }
        return 64
      }
    }
  }

  /// A batch of bench-gss's loop for the same operation: `context-cred`, `wrap16k`/`wrap64` or
  /// `getmic`.
  static func gssBatch(_ op: Loop, _ message: [UInt8]) throws -> () throws -> Int {
    let target = try GSSAPI.importName("host@localhost", type: GSSAPI.NameType.hostbasedService)
    let flags: GSSAPI.RequirementFlags = [.mutualAuthentication, .confidentiality, .integrity]
    let kerberos = GSSAPI.MechanismType.kerberos
    let initiator = try GSSAPI.acquireCredentials(mechanisms: [kerberos], usage: .initiate).credentials
    let acceptor = try GSSAPI.acquireCredentials(mechanisms: [kerberos], usage: .accept).credentials
    func establish() throws -> (GSSAPI.SecurityContext, GSSAPI.SecurityContext) {
      let first = try GSSAPI.initSecurityContext(
        target: target, credentials: initiator, mechanism: kerberos, flags: flags)
      let accepted = try GSSAPI.acceptSecurityContext(inputToken: first.token ?? [], credentials: acceptor)
      let second = try GSSAPI.initSecurityContext(
        target: target, credentials: initiator, context: first.context, mechanism: kerberos, flags: flags,
        inputToken: accepted.token)
      return (second.context, accepted.context)
    }
    let (ic, ac) = try establish()
    switch op {
    case .context:
      return {
        for _ in 0..<8 {
          let (a, b) = try establish()
          try GSSAPI.deleteSecurityContext(a)
          try GSSAPI.deleteSecurityContext(b)
        }
        return 8
      }
    case .encrypt:
      return {
        for _ in 0..<64 {
          let wrapped = try GSSAPI.wrap(ic, message: message)
          let plain = try GSSAPI.unwrap(ac, message: wrapped.message)
          guard plain.message.count == message.count else { throw ValidationError("unwrap length") }
        }
        return 64
      }
    case .sign:
      return {
        for _ in 0..<64 { _ = try GSSAPI.getMIC(ic, message: message) }
        return 64
      }
    }
  }

  /// InitializeSecurityContext, AcceptSecurityContext, InitializeSecurityContext (Kerberos with
  /// mutual authentication): (client, server) contexts, both established.
  static func establish(_ client: SSPI.CredentialsHandle, _ server: SSPI.CredentialsHandle) throws
    -> (SSPI.SecurityContext, SSPI.SecurityContext)
  {
    let first = try SSPI.initializeSecurityContext(
      credentials: client, target: target, requirements: requirements)
    let accepted = try SSPI.acceptSecurityContext(credentials: server, input: .token(first.token))
    let second = try SSPI.initializeSecurityContext(
      credentials: client, context: first.context, target: target, requirements: requirements,
      input: .token(accepted.token))
    guard first.status == .continueNeeded, accepted.status == .ok, second.status == .ok else {
      throw ValidationError("the exchange did not finish in three legs")
    }
    return (second.context, accepted.context)
  }
}
