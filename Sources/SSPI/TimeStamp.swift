import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension SSPI {
  /// A TimeStamp as SSPI returns it: for credential and context expiry the security package
  /// returns **local time** (AcquireCredentialsHandle's documentation: "The security package must return this value in local
  /// time"), as a FILETIME count of 100-ns intervals since 1601-01-01.
  public struct TimeStamp: Sendable, Hashable, CustomStringConvertible {
    /// The instant (nil: never expires).
    public let date: Date?
    /// The local-time FILETIME Windows puts in the TimeStamp; `Int64.max` for "never".
    public let localFileTime: Int64

    /// "Never" (`Int64.max`).
    static let never = TimeStamp(nil, secondsFromGMT: 0)

    /// A time stamp for `date` in this machine's time zone (nil: never).
    public init(_ date: Date?, timeZone: TimeZone = .current) {
      self.init(date, secondsFromGMT: date.map { timeZone.secondsFromGMT(for: $0) } ?? 0)
    }

    init(_ date: Date?, secondsFromGMT offset: Int) {
      self.date = date
      guard let date else {
        localFileTime = .max
        return
      }
      let local = date.timeIntervalSince1970 + Double(offset)
      localFileTime = Int64((local + 11_644_473_600) * 10_000_000)
    }

    /// Expiry `seconds` from now (nil: never), in the local time zone as the C library knows it
    /// (TZ, else /etc/localtime: the zone `TimeZone.current` is too, for a fraction of the cost of
    /// asking Foundation on every InitializeSecurityContext and AcceptSecurityContext).
    init(secondsFromNow seconds: UInt32?) {
      guard let seconds else {
        self = .never
        return
      }
      let date = Date().addingTimeInterval(TimeInterval(seconds))
      var time = time_t(date.timeIntervalSince1970.rounded(.down))
      var local = tm()
      guard localtime_r(&time, &local) != nil else {
        self.init(date)
        return
      }
      self.init(date, secondsFromGMT: Int(local.tm_gmtoff))
    }

    /// Seconds until expiry (nil: never; 0 when already past).
    public var secondsRemaining: UInt32? {
      guard let date else { return nil }
      return UInt32(max(0, min(Double(UInt32.max), date.timeIntervalSinceNow.rounded())))
    }

    public var description: String {
      guard let date else { return "never" }
      return ISO8601DateFormatter().string(from: date)
    }
  }
}
