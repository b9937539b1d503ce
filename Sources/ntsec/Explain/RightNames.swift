import NTSecurity

/// The names of an access mask's rights for one kind of object (`--type`, `--mapping`): the
/// object-specific bits (0–15) are named as that object's headers name them, the standard and
/// generic bits alike for all.
enum RightNames: String, CaseIterable {
  case file, directory, registry, ds, service, printer, token, process, thread

  /// The values `--type` and `--mapping` accept.
  static var choices: String { allCases.map(\.rawValue).joined(separator: "|") }

  /// The object-specific rights, bit 0 first.
  var specific: [String] {
    switch self {
    case .file:
      return [
        "FILE_READ_DATA", "FILE_WRITE_DATA", "FILE_APPEND_DATA", "FILE_READ_EA", "FILE_WRITE_EA",
        "FILE_EXECUTE",
        "FILE_DELETE_CHILD", "FILE_READ_ATTRIBUTES", "FILE_WRITE_ATTRIBUTES",
      ]
    case .directory:
      return [
        "FILE_LIST_DIRECTORY", "FILE_ADD_FILE", "FILE_ADD_SUBDIRECTORY", "FILE_READ_EA", "FILE_WRITE_EA",
        "FILE_TRAVERSE", "FILE_DELETE_CHILD", "FILE_READ_ATTRIBUTES", "FILE_WRITE_ATTRIBUTES",
      ]
    case .registry:
      return [
        "KEY_QUERY_VALUE", "KEY_SET_VALUE", "KEY_CREATE_SUB_KEY", "KEY_ENUMERATE_SUB_KEYS", "KEY_NOTIFY",
        "KEY_CREATE_LINK",
      ]
    case .ds:
      return [
        "ADS_RIGHT_DS_CREATE_CHILD", "ADS_RIGHT_DS_DELETE_CHILD", "ADS_RIGHT_ACTRL_DS_LIST",
        "ADS_RIGHT_DS_SELF",
        "ADS_RIGHT_DS_READ_PROP", "ADS_RIGHT_DS_WRITE_PROP", "ADS_RIGHT_DS_DELETE_TREE",
        "ADS_RIGHT_DS_LIST_OBJECT", "ADS_RIGHT_DS_CONTROL_ACCESS",
      ]
    case .service:
      return [
        "SERVICE_QUERY_CONFIG", "SERVICE_CHANGE_CONFIG", "SERVICE_QUERY_STATUS",
        "SERVICE_ENUMERATE_DEPENDENTS",
        "SERVICE_START", "SERVICE_STOP", "SERVICE_PAUSE_CONTINUE", "SERVICE_INTERROGATE",
        "SERVICE_USER_DEFINED_CONTROL",
      ]
    case .printer:
      return [
        "SERVER_ACCESS_ADMINISTER", "SERVER_ACCESS_ENUMERATE", "PRINTER_ACCESS_ADMINISTER",
        "PRINTER_ACCESS_USE",
        "JOB_ACCESS_ADMINISTER", "JOB_ACCESS_READ", "PRINTER_ACCESS_MANAGE_LIMITED",
      ]
    case .token:
      return [
        "TOKEN_ASSIGN_PRIMARY", "TOKEN_DUPLICATE", "TOKEN_IMPERSONATE", "TOKEN_QUERY", "TOKEN_QUERY_SOURCE",
        "TOKEN_ADJUST_PRIVILEGES", "TOKEN_ADJUST_GROUPS", "TOKEN_ADJUST_DEFAULT", "TOKEN_ADJUST_SESSIONID",
      ]
    case .process:
      return [
        "PROCESS_TERMINATE", "PROCESS_CREATE_THREAD", "PROCESS_SET_SESSIONID", "PROCESS_VM_OPERATION",
        "PROCESS_VM_READ", "PROCESS_VM_WRITE", "PROCESS_DUP_HANDLE", "PROCESS_CREATE_PROCESS",
        "PROCESS_SET_QUOTA", "PROCESS_SET_INFORMATION", "PROCESS_QUERY_INFORMATION", "PROCESS_SUSPEND_RESUME",
        "PROCESS_QUERY_LIMITED_INFORMATION", "PROCESS_SET_LIMITED_INFORMATION",
      ]
    case .thread:
      return [
        "THREAD_TERMINATE", "THREAD_SUSPEND_RESUME", "THREAD_ALERT", "THREAD_GET_CONTEXT",
        "THREAD_SET_CONTEXT",
        "THREAD_SET_INFORMATION", "THREAD_QUERY_INFORMATION", "THREAD_SET_THREAD_TOKEN", "THREAD_IMPERSONATE",
        "THREAD_DIRECT_IMPERSONATION", "THREAD_SET_LIMITED_INFORMATION", "THREAD_QUERY_LIMITED_INFORMATION",
        "THREAD_RESUME",
      ]
    }
  }

  /// Bits 16–31.
  static let standard: [UInt32: String] = [
    0x1_0000: "DELETE", 0x2_0000: "READ_CONTROL", 0x4_0000: "WRITE_DAC", 0x8_0000: "WRITE_OWNER",
    0x10_0000: "SYNCHRONIZE", 0x100_0000: "ACCESS_SYSTEM_SECURITY", 0x200_0000: "MAXIMUM_ALLOWED",
    0x1000_0000: "GENERIC_ALL", 0x2000_0000: "GENERIC_EXECUTE", 0x4000_0000: "GENERIC_WRITE",
    0x8000_0000: "GENERIC_READ",
  ]

  /// The name of a single right (`0x…` for a bit with no name here).
  func name(_ right: AccessMask) -> String {
    let raw = right.rawValue
    if raw < 0x1_0000, raw != 0, raw & (raw - 1) == 0, raw.trailingZeroBitCount < specific.count {
      return specific[raw.trailingZeroBitCount]
    }
    return RightNames.standard[raw] ?? "0x" + String(raw, radix: 16)
  }

  /// The names of every right in `mask`, lowest bit first.
  func names(_ mask: AccessMask) -> [String] {
    (0..<32).compactMap { bit in
      mask.rawValue & (1 << UInt32(bit)) == 0 ? nil : name(AccessMask(rawValue: 1 << UInt32(bit)))
    }
  }
}

extension RightNames {
  /// The names for a generic mapping (a file's for the mappings shared by several kinds).
  init(_ mapping: GenericMapping) {
    let kinds: [(GenericMapping, RightNames)] = [
      (.file, .file), (.registryKey, .registry), (.directoryServiceObject, .ds), (.token, .token),
      (.process, .process), (.thread, .thread),
    ]
    self = kinds.first { $0.0 == mapping }?.1 ?? .file
  }
}
