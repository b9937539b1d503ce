import Foundation

/// Where the context tokens of `ntsec gss init|accept` and `ntsec sspi client|server` travel:
/// base64 lines on stdin and stdout (the default), or a TCP connection framed as MIT's gss-sample
/// programs frame theirs (`--connect HOST:PORT` as gss-client does, `--listen PORT` as gss-server
/// does), so the commands talk to gss-server and gss-client too. Status lines ("established …")
/// stay on stdout either way.
struct TokenTransport {
  static let connectHelp =
    "Send the tokens over TCP to HOST:PORT (MIT gss-sample framing, as gss-client) instead of stdout/stdin."
  static let listenHelp =
    "Take the tokens from one TCP connection on PORT (MIT gss-sample framing, as gss-server; 0 picks a port and prints it on stderr) instead of stdin/stdout."

  /// The connection, or nil for lines on stdin and stdout.
  let socket: SampleSocket?

  /// The initiator's side: connects when `connect` is given and announces a context exchange
  /// (the NOOP|CONTEXT_NEXT frame gss-server expects first).
  static func initiator(connect: String?) throws -> TokenTransport {
    guard let connect else { return TokenTransport(socket: nil) }
    let socket = try SampleSocket.connect(connect)
    try socket.send([.noop, .contextNext])
    return TokenTransport(socket: socket)
  }

  /// The acceptor's side: waits for one connection when `listen` is given.
  static func acceptor(listen: UInt16?) throws -> TokenTransport {
    guard let listen else { return TokenTransport(socket: nil) }
    return TokenTransport(socket: try SampleSocket.acceptOne(port: listen))
  }

  func send(_ token: [UInt8]) throws {
    if let socket { try socket.send(.context, token) } else { TokenLines.emit(token: token) }
  }

  func receive() throws -> [UInt8] {
    if let socket { return try socket.receiveContextToken() }
    return try TokenLines.read()
  }

  /// The initiator is done: a NOOP frame ends gss-server's message loop, then the connection closes.
  func finishInitiator() throws {
    guard let socket else { return }
    defer { socket.close() }
    try socket.send(.noop)
  }

  /// The acceptor's message loop, as gss-server's: each data frame is unwrapped when marked wrapped
  /// (`unwrap`) and printed as "message: TEXT"; when the peer asks for one, its MIC (`mic`) goes back.
  /// Ends at a NOOP frame or when the peer closes the connection.
  func serveMessages(unwrap: ([UInt8]) throws -> [UInt8], mic: ([UInt8]) throws -> [UInt8]) throws {
    guard let socket else { return }
    defer { socket.close() }
    while let frame = try socket.receive(), !frame.flags.contains(.noop) {
      guard frame.flags.contains(.data) else {
        throw SampleSocket.Failure(
          "expected a data frame, got a frame with flags 0x\(String(frame.flags.rawValue, radix: 16))")
      }
      let message = frame.flags.contains(.wrapped) ? try unwrap(frame.token) : frame.token
      TokenLines.emit("message: \(String(decoding: message, as: UTF8.self))")
      if frame.flags.contains(.sendMIC) { try socket.send(.mic, try mic(message)) }
    }
  }
}
