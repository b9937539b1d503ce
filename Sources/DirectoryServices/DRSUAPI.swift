import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// A DRSUAPI binding (DsBind's handle): a sealed DCE/RPC association with a DC and the context
/// handle IDL_DRSBind returned. Close it with ``DirectoryServices/dsUnbind(_:)``.
public final class DsHandle: Sendable {
  let connection: RPCConnection
  let handle: [UInt8]
  /// The DC's DNS host name.
  public let domainController: String
  /// The DC's DRS_EXTENSIONS (the DRS_EXTENSIONS_INT bytes it answered DsBind with).
  public let serverExtensions: [UInt8]

  init(connection: RPCConnection, handle: [UInt8], domainController: String, serverExtensions: [UInt8]) {
    self.connection = connection
    self.handle = handle
    self.domainController = domainController
    self.serverExtensions = serverExtensions
  }
}

/// The DRSUAPI interface (MS-DRSR): its syntax and the NDR of the calls used.
enum DRSUAPI {
  static let interface = RPCSyntax("e3514235-4b06-11d1-ab04-00c04fc2dcd2", major: 4)
  /// NTDSAPI_CLIENT_GUID, the bind GUID of Windows' ntdsapi.
  static let clientGUID = RPCSyntax.guidBytes("e24d201a-4fd6-11d1-a3da-0000f875ae0d")
  /// DRS_EXT_BASE through DRS_EXT_GETCHGREQ_V8 and the others an ntdsapi client announces.
  static let clientFlags: UInt32 = 0x0500_7FFF

  static func bindRequest() -> [UInt8] {
    var w = NDRWriter()
    w.pointer(true)
    w.guid(clientGUID)
    w.pointer(true)
    let extensions =
      RPCPDU.le32(clientFlags) + [UInt8](repeating: 0, count: 16) + RPCPDU.le32(UInt32(getpid()))
      + RPCPDU.le32(0)
    w.uint32(UInt32(extensions.count))
    w.uint32(UInt32(extensions.count))
    w.raw(extensions)
    return w.bytes
  }

  /// The server's extensions and the context handle; the WERROR as an error.
  static func bindResponse(_ stub: [UInt8], peer: String) throws(NTSecurityError) -> ([UInt8], [UInt8]) {
    var r = NDRReader(stub, what: "DRSUAPI \(peer): DsBind response")
    var extensions: [UInt8] = []
    if try r.uint32("bind_info pointer") != 0 {
      _ = try r.uint32("bind_info conformance")
      let length = try r.count("bind_info length", unit: 1)
      extensions = try r.raw(length, "bind_info")
    }
    try r.align(4)
    let handle = try r.raw(20, "bind_handle")
    try check(try r.uint32("WERROR"), peer: peer, call: "DsBind")
    return (extensions, handle)
  }

  static func check(_ werror: UInt32, peer: String, call: String) throws(NTSecurityError) {
    guard werror == 0 else {
      throw NTSecurityError(
        WindowsError(rawValue: werror), "DRSUAPI \(peer): \(call) failed (WERROR \(werror))")
    }
  }

  /// A counted array of unique-pointer strings (`[string, size_is(n)] WCHAR**`) after its
  /// pointer: the conformance, the element pointers, the strings.
  static func stringArray(_ w: inout NDRWriter, _ strings: [String]) {
    w.uint32(UInt32(strings.count))
    for _ in strings { w.pointer(true) }
    for s in strings { w.string(s) }
  }

  static func crackNamesRequest(
    _ handle: [UInt8], flags: DsNameFlags, offered: DsNameFormat, desired: DsNameFormat, names: [String]
  ) -> [UInt8] {
    var w = NDRWriter()
    w.raw(handle)
    w.uint32(1)  // dwInVersion
    w.uint32(1)  // union discriminant
    w.uint32(0)  // CodePage
    w.uint32(0x409)  // LocaleId
    w.uint32(flags.rawValue)
    w.uint32(offered.rawValue)
    w.uint32(desired.rawValue)
    w.uint32(UInt32(names.count))
    w.pointer(true)
    stringArray(&w, names)
    return w.bytes
  }

  static func crackNamesResponse(_ stub: [UInt8], peer: String) throws(NTSecurityError) -> [DsNameResultItem]
  {
    var r = NDRReader(stub, what: "DRSUAPI \(peer): DsCrackNames response")
    let version = try r.uint32("pdwOutVersion")
    let arm = try r.uint32("union discriminant")
    guard version == 1, arm == 1 else {
      throw NTSecurityError(.invalidData, "DRSUAPI \(peer): DsCrackNames reply version \(version)")
    }
    var items: [DsNameResultItem] = []
    if try r.uint32("pResult") != 0 {
      let count = Int(try r.uint32("cItems"))
      let present = try r.uint32("rItems")
      if present != 0 {
        let conformance = try r.count("rItems conformance", unit: 12)
        guard conformance == count else {
          throw NTSecurityError(.invalidData, "DRSUAPI \(peer): \(conformance) items for cItems \(count)")
        }
        var pointers: [(UInt32, Bool, Bool)] = []
        for _ in 0..<count {
          pointers.append((try r.uint32("status"), try r.uint32("pDomain") != 0, try r.uint32("pName") != 0))
        }
        for (status, hasDomain, hasName) in pointers {
          let domain = hasDomain ? try r.string("pDomain") : nil
          let name = hasName ? try r.string("pName") : nil
          items.append(DsNameResultItem(status: DsNameError(rawValue: status), domain: domain, name: name))
        }
      }
    }
    try check(try r.uint32("WERROR"), peer: peer, call: "DsCrackNames")
    return items
  }

  static func writeSPNRequest(
    _ handle: [UInt8], operation: SPNWriteOperation, account: String, spns: [String]
  )
    -> [UInt8]
  {
    var w = NDRWriter()
    w.raw(handle)
    w.uint32(1)
    w.uint32(1)
    w.uint32(operation.rawValue)
    w.uint32(0)
    w.pointer(true)
    w.uint32(UInt32(spns.count))
    w.pointer(!spns.isEmpty)
    w.string(account)
    if !spns.isEmpty { stringArray(&w, spns) }
    return w.bytes
  }

  static func writeSPNResponse(_ stub: [UInt8], peer: String) throws(NTSecurityError) {
    var r = NDRReader(stub, what: "DRSUAPI \(peer): DsWriteAccountSpn response")
    _ = try r.uint32("pdwOutVersion")
    _ = try r.uint32("union discriminant")
    let result = try r.uint32("retVal")
    try check(try r.uint32("WERROR"), peer: peer, call: "DsWriteAccountSpn")
    try check(result, peer: peer, call: "DsWriteAccountSpn")
  }
}
