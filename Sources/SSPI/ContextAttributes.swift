import Foundation
import GSSAPI
import NTSecurity

extension SSPI {
  /// The SECPKG_ATTR_* classes QueryContextAttributes answers.
  public enum ContextAttribute: UInt32, Sendable, CaseIterable {
    case sizes = 0, names = 1, lifespan = 2, streamSizes = 4, keyInfo = 5, authority = 6, sessionKey = 9,
      packageInfo = 10, negotiationInfo = 12, nativeNames = 13, flags = 14
  }

  /// SecPkgContext_Sizes.
  public struct ContextSizes: Sendable, Hashable {
    /// `cbMaxToken`.
    public let maxToken: UInt32
    /// `cbMaxSignature`: the size of a MakeSignature token.
    public let maxSignature: UInt32
    /// `cbBlockSize`: messages are padded to a multiple of this (PADDING buffer).
    public let blockSize: UInt32
    /// `cbSecurityTrailer`: the size of EncryptMessage's SECBUFFER_TOKEN.
    public let securityTrailer: UInt32
  }

  /// SecPkgContext_StreamSizes.
  public struct StreamSizes: Sendable, Hashable {
    public let header: UInt32
    public let trailer: UInt32
    public let maximumMessage: UInt32
    public let buffers: UInt32
    public let blockSize: UInt32
  }

  /// SecPkgContext_NegotiationInfo's state (SECPKG_NEGOTIATION_*).
  public enum NegotiationState: UInt32, Sendable {
    case complete = 0, optimistic = 1, inProgress = 2, direct = 3, tryMultiCredentials = 4
  }

  /// SecPkgContext_NegotiationInfo.
  public struct NegotiationInfo: Sendable, Hashable {
    public let packageInfo: PackageInfo
    public let state: NegotiationState
  }

  /// SecPkgContext_KeyInfo. Algorithms are Kerberos encryption types (RFC 3961/8009 numbers) and
  /// checksum types; for NTLM, RC4 (the MS-NLMP sealing cipher) and HMAC-MD5.
  public struct KeyInfo: Sendable, Hashable {
    public let signatureAlgorithmName: String
    public let encryptAlgorithmName: String
    /// Key size in bits.
    public let keySize: UInt32
    public let signatureAlgorithm: UInt32
    public let encryptAlgorithm: UInt32
  }

  /// SecPkgContext_Lifespan.
  public struct Lifespan: Sendable, Hashable {
    public let start: TimeStamp
    public let expiry: TimeStamp
  }

  /// SecPkgContext_NativeNames: the package's own client and server names (Kerberos principals).
  public struct NativeNames: Sendable, Hashable {
    public let clientName: String
    public let serverName: String
  }

  /// The answer to one QueryContextAttributes call.
  public enum ContextAttributeValue: Sendable, Hashable {
    case sizes(ContextSizes)
    case streamSizes(StreamSizes)
    /// SecPkgContext_Names: the client's name (DOMAIN\user when the PAC names the domain).
    case names(String)
    case nativeNames(NativeNames)
    /// SecPkgContext_Authority: the realm or domain that authenticated the client.
    case authority(String)
    /// SecPkgContext_SessionKey.
    case sessionKey([UInt8])
    case packageInfo(PackageInfo)
    case negotiationInfo(NegotiationInfo)
    case lifespan(Lifespan)
    /// SecPkgContext_Flags: the ISC_RET_* or ASC_RET_* flags.
    case flags(UInt32)
    case keyInfo(KeyInfo)
  }
}

extension SSPI.SecurityContext {
  /// QueryContextAttributes. SEC_E_INVALID_HANDLE for a deleted context; attributes that need
  /// an established context (all but PACKAGE_INFO, NEGOTIATION_INFO and FLAGS) throw
  /// SEC_E_INVALID_HANDLE before then.
  public func attribute(_ attribute: SSPI.ContextAttribute) throws(SSPIError) -> SSPI.ContextAttributeValue {
    try checkLive("QueryContextAttributes")
    switch attribute {
    case .packageInfo: return .packageInfo(messagePackage.info)
    case .negotiationInfo:
      let state: SSPI.NegotiationState = isEstablished ? .complete : .inProgress
      return .negotiationInfo(SSPI.NegotiationInfo(packageInfo: messagePackage.info, state: state))
    case .flags: return .flags(attributeFlags)
    default: break
    }
    guard isEstablished else {
      throw SSPIError(
        .invalidHandle, "QueryContextAttributes(\(attribute)): the context is not established yet")
    }
    switch attribute {
    case .sizes: return .sizes(try sizes())
    case .streamSizes: return .streamSizes(try streamSizes())
    case .names: return .names(try userName())
    case .nativeNames: return .nativeNames(try nativeNames())
    case .authority: return .authority(try authority())
    case .sessionKey: return .sessionKey(try sessionKey().key)
    case .lifespan: return .lifespan(SSPI.Lifespan(start: SSPI.TimeStamp(created), expiry: expiry))
    case .keyInfo: return .keyInfo(try keyInfo())
    case .packageInfo, .negotiationInfo, .flags: fatalError("answered above")
    }
  }

  /// SECPKG_ATTR_SIZES: sizes measured from the mechanism (gss_wrap_iov_length,
  /// gss_get_mic_iov_length) for Kerberos; MS-NLMP's fixed 16-byte signature for NTLM.
  public func sizes() throws(SSPIError) -> SSPI.ContextSizes {
    let maxToken = messagePackage.info.maxToken
    if messagePackage == .ntlm {
      return SSPI.ContextSizes(maxToken: maxToken, maxSignature: 16, blockSize: 0, securityTrailer: 16)
    }
    do {
      var wrap = GSSAPI.IOV(
        [.init(.header), .init(.data, value: []), .init(.padding)], standardLayout: false)
      try GSSAPI.wrapIOVLength(gss, message: &wrap)
      var mic = GSSAPI.IOV([.init(.data, value: []), .init(.micToken)], standardLayout: false)
      try GSSAPI.getMICIOVLength(gss, message: &mic)
      let padding = wrap[2].value?.count ?? 0
      return SSPI.ContextSizes(
        maxToken: maxToken, maxSignature: UInt32(mic[1].value?.count ?? 0),
        blockSize: UInt32(max(padding, 1)),
        securityTrailer: UInt32(wrap[0].value?.count ?? 0))
    } catch {
      throw SSPIError(error, during: .query, "QueryContextAttributes(SECPKG_ATTR_SIZES)")
    }
  }

  /// SECPKG_ATTR_STREAM_SIZES: the stream form of EncryptMessage's layout (header = the token,
  /// no trailer) and the largest message that fits in the package's maximum token.
  public func streamSizes() throws(SSPIError) -> SSPI.StreamSizes {
    let s = try sizes()
    let limit: UInt32
    do { limit = try GSSAPI.wrapSizeLimit(gss, outputSize: 0x10000) } catch {
      throw SSPIError(error, during: .query, "QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES)")
    }
    return SSPI.StreamSizes(
      header: s.securityTrailer, trailer: 0, maximumMessage: limit, buffers: 4, blockSize: s.blockSize)
  }

  /// The GSS-API context's client and server names.
  func gssNames() throws(SSPIError) -> (client: String, server: String) {
    if !isClient && messagePackage == .ntlm {
      // gss-ntlmssp 1.2.0's gss_inquire_context dereferences the (absent) acceptor name of a
      // server context; the accept result already named the client.
      return (clientName?.description ?? "", "")
    }
    do {
      let r = try GSSAPI.inquireContext(
        gss, lifetime: false, mechanism: false, flags: false, locallyInitiated: false, complete: false)
      return (r.initiatorName?.description ?? "", r.targetName?.description ?? target?.text ?? "")
    } catch {
      throw SSPIError(error, during: .query, "QueryContextAttributes: gss_inquire_context")
    }
  }

  /// SECPKG_ATTR_NAMES: `DOMAIN\user` from the client's PAC when the server has it, else the
  /// package's name for the client (`user@REALM`, `DOMAIN\user` for NTLM).
  public func userName() throws(SSPIError) -> String {
    if !isClient, let clientName, let found = try? pac(of: clientName), let info = found.logonInfo {
      return "\(info.logonDomainName)\\\(info.effectiveName)"
    }
    return try gssNames().client
  }

  /// SECPKG_ATTR_NATIVE_NAMES.
  public func nativeNames() throws(SSPIError) -> SSPI.NativeNames {
    let n = try gssNames()
    return SSPI.NativeNames(clientName: n.client, serverName: n.server)
  }

  /// SECPKG_ATTR_AUTHORITY: the client's realm (Kerberos) or domain (NTLM).
  public func authority() throws(SSPIError) -> String {
    let client = try gssNames().client
    if let at = client.lastIndex(of: "@") { return String(client[client.index(after: at)...]) }
    if let slash = client.firstIndex(of: "\\") { return String(client[..<slash]) }
    return ""
  }

  /// SECPKG_ATTR_SESSION_KEY (what SMB signs with) and the Kerberos enctype of the key.
  public func sessionKey() throws(SSPIError) -> (key: [UInt8], encryptionType: UInt32?) {
    do {
      let values = try GSSAPI.inquireSecurityContext(gss, byOID: .krb5InquireSSPISessionKey)
      guard let key = values.first else {
        throw SSPIError(.unsupportedFunction, "the mechanism has no session key")
      }
      var enctype: UInt32?
      if values.count > 1, let arcs = GSSAPI.OID(bytes: values[1]).components, let last = arcs.last {
        enctype = UInt32(truncatingIfNeeded: last)
      }
      return (key, enctype)
    } catch let error as SSPIError {
      throw error
    } catch let error as GSSError {
      throw SSPIError(error, during: .query, "QueryContextAttributes(SECPKG_ATTR_SESSION_KEY)")
    } catch {
      throw SSPIError(.internalError, "\(error)")
    }
  }

  /// SECPKG_ATTR_KEY_INFO.
  public func keyInfo() throws(SSPIError) -> SSPI.KeyInfo {
    let (key, enctype) = try sessionKey()
    if messagePackage == .ntlm || enctype == nil {
      return SSPI.KeyInfo(
        signatureAlgorithmName: "HMAC-MD5", encryptAlgorithmName: "RSADSI RC4",
        keySize: UInt32(key.count * 8),
        signatureAlgorithm: 0xFFFF_FF76, encryptAlgorithm: 0x6801)
    }
    let e = enctype!
    let (name, checksum, checksumName): (String, UInt32, String) =
      switch e {
      case 17: ("AES-128-CTS-HMAC-SHA1-96", 15, "HMAC-SHA1-96-AES128")
      case 18: ("AES-256-CTS-HMAC-SHA1-96", 16, "HMAC-SHA1-96-AES256")
      case 19: ("AES-128-CTS-HMAC-SHA256-128", 19, "HMAC-SHA256-128-AES128")
      case 20: ("AES-256-CTS-HMAC-SHA384-192", 20, "HMAC-SHA384-192-AES256")
      case 23: ("RSADSI RC4-HMAC", 0xFFFF_FF76, "HMAC-MD5")
      default: ("enctype \(e)", 0, "checksum of enctype \(e)")
      }
    return SSPI.KeyInfo(
      signatureAlgorithmName: checksumName, encryptAlgorithmName: name, keySize: UInt32(key.count * 8),
      signatureAlgorithm: checksum, encryptAlgorithm: e)
  }
}
