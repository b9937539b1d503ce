import Foundation
import LocalSecurityAuthority
import NTSecurity

/// The security descriptors of Samba's shares (SE_LMSHARE), read-only: what `sharesec --view`
/// shows and smbd checks on tree connect.
///
/// Samba keeps them in `share_info.tdb` in its `state directory`, one record per share under
/// `SECDESC/` and the share's name in lower case, holding a self-relative descriptor. A share
/// smb.conf defines without a record has Samba's default, Everyone allowed full access.
/// Shares kept in the registry (`include = registry`) are not read.
public struct ShareSecurity: Sendable {
  /// Debian's smb.conf.
  public static let defaultConfiguration = "/etc/samba/smb.conf"

  /// The smb.conf naming the shares and the state directory.
  public var configurationFile: String

  public init(configurationFile: String = ShareSecurity.defaultConfiguration) {
    self.configurationFile = configurationFile
  }

  /// The descriptor of the share `name` (the parts `information` selects).
  ///
  /// ERROR_NOT_SUPPORTED when there is no Samba configuration, ERROR_FILE_NOT_FOUND for a share
  /// neither smb.conf nor the database knows, ERROR_ACCESS_DENIED when the database cannot be
  /// read (Samba's is root's, mode 0600), ERROR_INVALID_DATA for a damaged record.
  public func descriptor(
    ofShare name: String, information: SecurityInformation = [.owner, .group, .dacl, .sacl]
  ) throws(NTSecurityError) -> SecurityDescriptor {
    guard let configuration = SambaConfiguration(path: configurationFile) else {
      throw NTSecurityError(
        .notSupported, "SE_LMSHARE: no Samba configuration at \(configurationFile)")
    }
    let key = name.lowercased()
    let path = configuration.stateDirectory + "/share_info.tdb"
    var stored: [UInt8]?
    if FileManager.default.fileExists(atPath: path) {
      // strict: a record walk cut short must not hide a share's descriptor (the default is Everyone).
      guard let database = try TrivialDatabase(path: path, strict: true) else {
        throw NTSecurityError(.accessDenied, "SE_LMSHARE: cannot read \(path)")
      }
      stored = database.value("SECDESC/" + key)
    }
    if let stored {
      do {
        return try SecurityDescriptor(bytes: stored).selecting(information)
      } catch {
        throw NTSecurityError(
          .invalidData, "\(path): the descriptor of share \(name) is damaged: \(error.message)")
      }
    }
    guard configuration.shareNames.contains(key) else {
      throw NTSecurityError(.fileNotFound, "SE_LMSHARE: no share \(name) in \(configurationFile)")
    }
    return Self.defaultDescriptor.selecting(information)
  }

  /// Samba's descriptor for a share without one: Everyone allowed FILE_ALL_ACCESS.
  public static let defaultDescriptor = SecurityDescriptor(
    dacl: ACL(aces: [ACE(type: .accessAllowed, mask: AccessMask(rawValue: 0x1F_01FF), sid: .everyone)]))
}
