import SSPI
import Synchronization

/// One client connection's Negotiate state, as IIS keeps it per connection: the unfinished
/// context of a multi-leg (NTLM) exchange and the client authenticated on the connection. Call
/// ``close()`` when the connection closes; a failed step frees the context at once.
public final class NegotiateConnection: Sendable {
  struct State {
    var pending: SSPI.SecurityContext?
    var pendingScheme: NegotiateScheme?
    var identity: NegotiateIdentity?
    var closed = false
  }
  let state = Mutex(State())

  public init() {}

  /// The client authenticated on this connection, if any.
  public var identity: NegotiateIdentity? { state.withLock { $0.identity } }

  /// Whether a multi-leg exchange is under way.
  public var hasPendingExchange: Bool { state.withLock { $0.pending != nil } }

  /// Frees the connection's state (the connection closed).
  public func close() {
    let pending = state.withLock { s in
      s.closed = true
      s.identity = nil
      defer { s.pending = nil }
      return s.pending
    }
    pending?.delete()
  }

  /// Drops an unfinished context (after a failure, or when a new exchange starts).
  func discardPending() {
    let pending = state.withLock { s in
      defer { (s.pending, s.pendingScheme) = (nil, nil) }
      return s.pending
    }
    pending?.delete()
  }
}
