public import HTTPNegotiate
public import Hummingbird
public import HummingbirdAuth
import NIOCore
import Synchronization

/// A request context that carries the client's `NegotiateIdentity` and the
/// Negotiate state of the connection the request came on.
public protocol NegotiateRequestContext: AuthRequestContext<NegotiateIdentity> {
  /// The connection's Negotiate state (nil: none, so every exchange must finish in one leg).
  var negotiateConnection: NegotiateConnection? { get }
  /// Whether the request came over HTTP/2 (connection-bound exchanges are refused there).
  var isHTTP2: Bool { get }
}

/// The request context for applications that need nothing else: ``NegotiateRequestContext`` over
/// Hummingbird's application source.
public struct BasicNegotiateRequestContext: NegotiateRequestContext, RequestContext {
  public var coreContext: CoreRequestContextStorage
  public var identity: NegotiateIdentity?
  public let negotiateConnection: NegotiateConnection?
  public let isHTTP2: Bool

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    identity = nil
    let state = NegotiateConnections.state(for: source.channel)
    negotiateConnection = state.0
    isHTTP2 = state.isHTTP2
  }
}

/// The Negotiate state of each open connection, freed when the connection closes.
public enum NegotiateConnections {
  static let open = Mutex<[ObjectIdentifier: NegotiateConnection]>([:])

  /// How many connections hold Negotiate state now (for tests and metrics).
  public static var count: Int { open.withLock { $0.count } }

  /// The state of the connection `channel` belongs to, made on first use and freed on close;
  /// and whether it is an HTTP/2 stream (a stream's parent is the connection, whose parent is
  /// the listening socket: a stream's requests get no connection state).
  public static func state(for channel: any Channel) -> (NegotiateConnection?, isHTTP2: Bool) {
    if channel.parent?.parent != nil { return (nil, true) }
    let id = ObjectIdentifier(channel)
    let (connection, isNew) = open.withLock { open in
      if let existing = open[id] { return (existing, false) }
      let made = NegotiateConnection()
      open[id] = made
      return (made, true)
    }
    if isNew {
      channel.closeFuture.whenComplete { _ in
        let closed = open.withLock { $0.removeValue(forKey: id) }
        closed?.close()
      }
    }
    return (connection, false)
  }
}
