/// SID_NAME_USE: what kind of account a SID names, as LookupAccountName and LookupAccountSid
/// return it. The raw values are Windows' (`SidTypeUser` = 1 …).
public enum SIDNameUse: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case user = 1
  case group = 2
  case domain = 3
  case alias = 4
  case wellKnownGroup = 5
  case deletedAccount = 6
  case invalid = 7
  case unknown = 8
  case computer = 9
  case label = 10
  case logonSession = 11

  /// The word after `SidType` in Windows' name: `User`, `Group`, `Domain`, `Alias`,
  /// `WellKnownGroup`, …
  public var description: String {
    switch self {
    case .user: "User"
    case .group: "Group"
    case .domain: "Domain"
    case .alias: "Alias"
    case .wellKnownGroup: "WellKnownGroup"
    case .deletedAccount: "DeletedAccount"
    case .invalid: "Invalid"
    case .unknown: "Unknown"
    case .computer: "Computer"
    case .label: "Label"
    case .logonSession: "LogonSession"
    }
  }

  /// The SID_NAME_USE with this word (`User`, `SidTypeUser`, case-insensitive), or nil.
  public init?(name: String) {
    var key = name.lowercased()
    if key.hasPrefix("sidtype") { key.removeFirst(7) }
    guard let found = SIDNameUse.allCases.first(where: { $0.description.lowercased() == key }) else {
      return nil
    }
    self = found
  }
}
