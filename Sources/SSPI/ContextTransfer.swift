import GSSAPI

extension SSPI {
  /// ExportSecurityContext's flags (SECPKG_CONTEXT_EXPORT_*).
  public struct ContextExportFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// SECPKG_CONTEXT_EXPORT_RESET_NEW.
    public static let resetNew = ContextExportFlags(rawValue: 1)
    /// SECPKG_CONTEXT_EXPORT_DELETE_OLD: the exported context is no longer usable here. GSS-API
    /// always does this, so every export behaves as if it were given.
    public static let deleteOld = ContextExportFlags(rawValue: 2)
  }

  /// A context serialized by ``SecurityContext/export(flags:)`` (the packed context), for
  /// ``importSecurityContext(package:packedContext:)`` in another process.
  public struct ExportedContext: Sendable, Hashable {
    /// The package of the context ("Kerberos", "NTLM", "Negotiate").
    public let package: String
    /// The packed context: the GSS-API interprocess token.
    public let packedContext: [UInt8]
  }

  /// ImportSecurityContext: a context from ``ExportedContext/packedContext``.
  public static func importSecurityContext(package packageName: String, packedContext: [UInt8])
    throws(SSPIError)
    -> SecurityContext
  {
    let package = try package(named: packageName)
    do {
      let gss = try GSSAPI.importSecurityContext(packedContext)
      let info = try GSSAPI.inquireContext(gss)
      let context = SecurityContext(package: package, isClient: info.locallyInitiated ?? true, gss: gss)
      context.started = true
      context.isEstablished = info.complete ?? false
      context.gssFlags = info.flags ?? []
      context.expiry = TimeStamp(secondsFromNow: info.lifetime)
      if let p = Package(mechanism: info.mechanism), p != .negotiate { context.negotiatedPackage = p }
      if !context.isClient { context.clientName = info.initiatorName }
      return context
    } catch {
      throw SSPIError(error, during: .query, "ImportSecurityContext(\(packageName))")
    }
  }
}

extension SSPI.SecurityContext {
  /// ExportSecurityContext: the packed context. The context here is deleted (GSS-API moves the
  /// context; SECPKG_CONTEXT_EXPORT_DELETE_OLD is implied).
  public func export(flags: SSPI.ContextExportFlags = []) throws(SSPIError) -> SSPI.ExportedContext {
    try checkEstablished("ExportSecurityContext")
    do {
      let bytes = try GSSAPI.exportSecurityContext(gss)
      deleted = true
      isEstablished = false
      return SSPI.ExportedContext(package: package.rawValue, packedContext: bytes)
    } catch {
      throw SSPIError(error, during: .query, "ExportSecurityContext")
    }
  }
}
