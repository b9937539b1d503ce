import Foundation
import NTSecurity

#if canImport(Glibc)
  import Glibc
#endif

/// Where a user's vault lives: the database in `$XDG_DATA_HOME/ntsec` (default
/// `~/.local/share/ntsec`) and the key file in `$XDG_CONFIG_HOME/ntsec` (default `~/.config/ntsec`),
/// kept apart so a copy of one without the other reveals nothing. Both directories are 0700 and
/// every file 0600; a directory or file that others can reach, or that another user owns, is
/// refused with ERROR_ACCESS_DENIED.
public struct VaultLocation: Hashable, Sendable {
  /// The directory holding `credentials.sqlite` (and its WAL files).
  public var dataDirectory: String
  /// The directory holding `vault.key`.
  public var configDirectory: String

  public init(dataDirectory: String, configDirectory: String) {
    self.dataDirectory = dataDirectory
    self.configDirectory = configDirectory
  }

  /// The calling user's vault, from the XDG base-directory variables. The base directory (`HOME`,
  /// or `XDG_DATA_HOME`/`XDG_CONFIG_HOME` when set) must belong to the effective user: root with
  /// another user's `HOME` (sudo without `-H`, a service with an inherited environment) gets
  /// ERROR_ACCESS_DENIED and creates nothing there.
  public static func user(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(NTSecurityError) -> VaultLocation
  {
    func home() throws(NTSecurityError) -> String {
      let h: String
      if let e = environment["HOME"], e.hasPrefix("/") {
        h = e
      } else if let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir {
        h = String(cString: dir)
      } else {
        throw NTSecurityError(.noSuchLogonSession, "no home directory for the calling user")
      }
      try checkOwnedBase(h, what: "the home directory")
      return h
    }
    let data: String
    if let d = environment["XDG_DATA_HOME"], d.hasPrefix("/") {
      try checkOwnedBase(d, what: "XDG_DATA_HOME")
      data = d
    } else {
      data = try home() + "/.local/share"
    }
    let config: String
    if let c = environment["XDG_CONFIG_HOME"], c.hasPrefix("/") {
      try checkOwnedBase(c, what: "XDG_CONFIG_HOME")
      config = c
    } else {
      config = try home() + "/.config"
    }
    return VaultLocation(dataDirectory: data + "/ntsec", configDirectory: config + "/ntsec")
  }

  /// A base directory must belong to the effective user; one that does not exist yet must be
  /// created inside a directory that does (or root's).
  static func checkOwnedBase(_ path: String, what: String) throws(NTSecurityError) {
    var st = stat()
    if stat(path, &st) == 0 {
      guard st.st_uid == geteuid() else {
        throw NTSecurityError(
          .accessDenied, "\(what) \(path) belongs to uid \(st.st_uid), not to the caller (uid \(geteuid()))")
      }
      return
    }
    try checkCreatableInside(path)
  }

  /// The nearest existing ancestor of `path` must belong to the caller or to root: never create a
  /// directory inside another user's.
  static func checkCreatableInside(_ path: String) throws(NTSecurityError) {
    var ancestor = (path as NSString).deletingLastPathComponent
    var st = stat()
    while !ancestor.isEmpty {
      if stat(ancestor, &st) == 0 {
        guard st.st_uid == geteuid() || st.st_uid == 0 else {
          throw NTSecurityError(
            .accessDenied,
            "\(ancestor) belongs to uid \(st.st_uid): the vault will not create directories in it")
        }
        return
      }
      if ancestor == "/" { return }
      ancestor = (ancestor as NSString).deletingLastPathComponent
    }
  }

  /// A vault under one directory (for tests and throwaway vaults).
  public static func inside(_ directory: String) -> VaultLocation {
    VaultLocation(dataDirectory: directory + "/data/ntsec", configDirectory: directory + "/config/ntsec")
  }

  public var databasePath: String { dataDirectory + "/credentials.sqlite" }
  public var keyFilePath: String { configDirectory + "/vault.key" }

  /// Creates the directory (and missing parents) and checks it is private to the caller.
  static func preparePrivateDirectory(_ path: String) throws(NTSecurityError) {
    var st = stat()
    if stat(path, &st) != 0 {
      try checkCreatableInside(path)
      let parent = (path as NSString).deletingLastPathComponent
      if !parent.isEmpty, parent != path, stat(parent, &st) != 0 {
        do {
          try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
          throw NTSecurityError(.accessDenied, "cannot create \(parent): \(errnoText())")
        }
      }
      if mkdir(path, 0o700) != 0 && errno != EEXIST {
        throw NTSecurityError(.accessDenied, "cannot create \(path): \(errnoText())")
      }
      guard stat(path, &st) == 0 else {
        throw NTSecurityError(.accessDenied, "cannot reach \(path): \(errnoText())")
      }
    }
    guard (st.st_mode & S_IFMT) == S_IFDIR else {
      throw NTSecurityError(.accessDenied, "\(path) is not a directory")
    }
    guard st.st_uid == geteuid() else {
      throw NTSecurityError(.accessDenied, "\(path) belongs to another user")
    }
    if st.st_mode & 0o077 != 0 {
      guard chmod(path, 0o700) == 0 else {
        throw NTSecurityError(.accessDenied, "cannot make \(path) private: \(errnoText())")
      }
    }
  }

  /// Checks an existing file is a regular file owned by the caller with mode 0600 (tightening a
  /// looser mode the caller owns).
  static func checkPrivateFile(_ path: String) throws(NTSecurityError) {
    var st = stat()
    guard lstat(path, &st) == 0 else {
      throw NTSecurityError(.accessDenied, "cannot reach \(path): \(errnoText())")
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
      throw NTSecurityError(.accessDenied, "\(path) is not a regular file")
    }
    guard st.st_uid == geteuid() else {
      throw NTSecurityError(.accessDenied, "\(path) belongs to another user")
    }
    if st.st_mode & 0o077 != 0 {
      guard chmod(path, 0o600) == 0 else {
        throw NTSecurityError(.accessDenied, "cannot make \(path) private: \(errnoText())")
      }
    }
  }
}

func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
