#if canImport(Glibc)
  import Glibc
#endif

/// A value kept per thread (pthread-specific data), as Windows keeps a thread's impersonation
/// token: each thread sees only what it set itself.
final class ThreadSpecific<Value>: @unchecked Sendable {
  private final class Box {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  // Written once in init, then only read: pthread keys are safe to use from any thread.
  private let key: pthread_key_t

  init() {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
    }
    self.key = key
  }

  /// The calling thread's value; nil when it set none.
  var value: Value? {
    guard let pointer = pthread_getspecific(key) else { return nil }
    return Unmanaged<Box>.fromOpaque(pointer).takeUnretainedValue().value
  }

  /// Sets (or, with nil, clears) the calling thread's value.
  func set(_ value: Value?) {
    if let old = pthread_getspecific(key) { Unmanaged<Box>.fromOpaque(old).release() }
    pthread_setspecific(key, value.map { Unmanaged.passRetained(Box($0)).toOpaque() })
  }
}
