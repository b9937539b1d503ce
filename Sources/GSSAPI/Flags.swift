internal import CGSSAPI

extension GSSAPI {
  /// Context requirement and result flags (GSS_C_*_FLAG; python-gssapi's `RequirementFlag`).
  /// Raw values are the C values.
  public struct RequirementFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// GSS_C_DELEG_FLAG: forward the initiator's credentials.
    public static let delegateToPeer = RequirementFlags(rawValue: 1)
    /// GSS_C_MUTUAL_FLAG.
    public static let mutualAuthentication = RequirementFlags(rawValue: 2)
    /// GSS_C_REPLAY_FLAG.
    public static let replayDetection = RequirementFlags(rawValue: 4)
    /// GSS_C_SEQUENCE_FLAG.
    public static let outOfSequenceDetection = RequirementFlags(rawValue: 8)
    /// GSS_C_CONF_FLAG.
    public static let confidentiality = RequirementFlags(rawValue: 16)
    /// GSS_C_INTEG_FLAG.
    public static let integrity = RequirementFlags(rawValue: 32)
    /// GSS_C_ANON_FLAG.
    public static let anonymity = RequirementFlags(rawValue: 64)
    /// GSS_C_PROT_READY_FLAG.
    public static let protectionReady = RequirementFlags(rawValue: 128)
    /// GSS_C_TRANS_FLAG.
    public static let transferable = RequirementFlags(rawValue: 256)
    /// GSS_C_DELEG_POLICY_FLAG: delegate only if the KDC marks the service ok-as-delegate.
    public static let okAsDelegate = RequirementFlags(rawValue: 32768)
    /// GSS_C_CHANNEL_BOUND_FLAG.
    public static let channelBound = RequirementFlags(rawValue: 2048)
    /// GSS_C_DCE_STYLE.
    public static let dceStyle = RequirementFlags(rawValue: 0x1000)
    /// GSS_C_IDENTIFY_FLAG.
    public static let identify = RequirementFlags(rawValue: 0x2000)
    /// GSS_C_EXTENDED_ERROR_FLAG.
    public static let extendedError = RequirementFlags(rawValue: 0x4000)

    /// The default of python-gssapi's init_sec_context: mutual authentication and sequencing.
    public static let defaultInitiate: RequirementFlags = [.mutualAuthentication, .outOfSequenceDetection]

    static let names: [(RequirementFlags, String)] = [
      (.delegateToPeer, "deleg"), (.mutualAuthentication, "mutual"), (.replayDetection, "replay"),
      (.outOfSequenceDetection, "sequence"), (.confidentiality, "conf"), (.integrity, "integ"),
      (.anonymity, "anon"), (.protectionReady, "prot_ready"), (.transferable, "trans"),
      (.channelBound, "channel_bound"), (.dceStyle, "dce_style"), (.identify, "identify"),
      (.extendedError, "extended_error"), (.okAsDelegate, "deleg_policy"),
    ]

    /// Comma-separated short names, e.g. "mutual,sequence,conf,integ"; unknown bits in hex.
    public var description: String {
      var rest = rawValue
      var parts: [String] = []
      for (flag, name) in Self.names where contains(flag) {
        parts.append(name)
        rest &= ~flag.rawValue
      }
      if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
      return parts.joined(separator: ",")
    }

    /// Parses `description`'s form (also accepts the python-gssapi names, e.g. "mutual_authentication").
    public init(names text: String) throws(GSSError) {
      var flags: RequirementFlags = []
      let aliases: [String: RequirementFlags] = [
        "delegate_to_peer": .delegateToPeer, "mutual_authentication": .mutualAuthentication,
        "replay_detection": .replayDetection, "out_of_sequence_detection": .outOfSequenceDetection,
        "confidentiality": .confidentiality, "integrity": .integrity, "anonymity": .anonymity,
        "ok_as_delegate": .okAsDelegate,
      ]
      for part in text.split(separator: ",").map({ $0.trimmingCharacters() }) where !part.isEmpty {
        if let (flag, _) = Self.names.first(where: { $0.1 == part }) {
          flags.insert(flag)
        } else if let flag = aliases[part] {
          flags.insert(flag)
        } else {
          throw GSSError(
            .failure, "unknown flag \"\(part)\" (known: \(Self.names.map(\.1).joined(separator: ", ")))")
        }
      }
      self = flags
    }
  }

  /// Credential usage (GSS_C_BOTH, GSS_C_INITIATE, GSS_C_ACCEPT; python-gssapi's usage strings).
  public enum CredentialUsage: Int32, Sendable, CustomStringConvertible {
    case both = 0, initiate = 1, accept = 2
    /// "both", "initiate" or "accept", as python-gssapi writes it.
    public var description: String {
      switch self {
      case .both: "both"
      case .initiate: "initiate"
      case .accept: "accept"
      }
    }
  }

  /// Address families for channel bindings (GSS_C_AF_*; python-gssapi's `AddressType`).
  /// GSS_C_AF_UNSPEC is `nil` where an address type is optional.
  public enum AddressType: UInt32, Sendable, CaseIterable {
    case local = 1, ip = 2, arpanet = 3, pup = 4, chaos = 5, xeroxNS = 6, nbs = 7, ecma = 8,
      datakit = 9, ccitt = 10, ibmSNA = 11, decnet = 12, dli = 13, lat = 14, hyperchannel = 15,
      appletalk = 16, bisync = 17, dss = 18, osiTP4 = 19, x25 = 21, null = 255
  }

  /// Channel bindings (RFC 2744 3.11; python-gssapi's `ChannelBindings`). For TLS, put
  /// "tls-server-end-point:" + hash in `applicationData`.
  public struct ChannelBindings: Sendable, Hashable {
    public var initiatorAddressType: AddressType?
    public var initiatorAddress: [UInt8]?
    public var acceptorAddressType: AddressType?
    public var acceptorAddress: [UInt8]?
    public var applicationData: [UInt8]?

    public init(
      initiatorAddressType: AddressType? = nil, initiatorAddress: [UInt8]? = nil,
      acceptorAddressType: AddressType? = nil, acceptorAddress: [UInt8]? = nil,
      applicationData: [UInt8]? = nil
    ) {
      self.initiatorAddressType = initiatorAddressType
      self.initiatorAddress = initiatorAddress
      self.acceptorAddressType = acceptorAddressType
      self.acceptorAddress = acceptorAddress
      self.applicationData = applicationData
    }

    /// Lends the bindings to the library as a `gss_channel_bindings_t`.
    func withC<R>(_ body: (gss_channel_bindings_t) -> R) -> R {
      let ia = initiatorAddress ?? []
      let aa = acceptorAddress ?? []
      let ad = applicationData ?? []
      return ia.withUnsafeBytes { i in
        aa.withUnsafeBytes { a in
          ad.withUnsafeBytes { d in
            var cb = gss_channel_bindings_struct(
              initiator_addrtype: initiatorAddressType?.rawValue ?? 0,
              initiator_address: gss_buffer_desc(
                length: i.count, value: UnsafeMutableRawPointer(mutating: i.baseAddress)),
              acceptor_addrtype: acceptorAddressType?.rawValue ?? 0,
              acceptor_address: gss_buffer_desc(
                length: a.count, value: UnsafeMutableRawPointer(mutating: a.baseAddress)),
              application_data: gss_buffer_desc(
                length: d.count, value: UnsafeMutableRawPointer(mutating: d.baseAddress)))
            return body(&cb)
          }
        }
      }
    }
  }
}

/// Lends optional channel bindings (GSS_C_NO_CHANNEL_BINDINGS for nil).
func withOptionalBindings<R>(_ b: GSSAPI.ChannelBindings?, _ body: (gss_channel_bindings_t?) -> R) -> R {
  guard let b else { return body(nil) }
  return b.withC { body($0) }
}

extension Substring {
  func trimmingCharacters() -> String {
    String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
