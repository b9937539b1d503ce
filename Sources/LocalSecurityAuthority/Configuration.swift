import Foundation

extension LocalSecurityAuthority {
  /// Where the authority finds the host's account data. ``current`` reads the environment:
  ///
  /// - `NTSEC_MACHINE_SID_FILE`: the machine SID file (default `/var/lib/ntsec/machine-sid`).
  /// - `NTSEC_SMB_CONF`: Samba's configuration (default `/etc/samba/smb.conf`); an empty value
  ///   leaves Samba out.
  /// - `NTSEC_LUID_COUNTER`: the shared LUID counter (default `/dev/shm/ntsec-luid`).
  /// - `NTSEC_PRIVILEGED_LUID_COUNTER`: root's LUID counter (default `/run/ntsec-luid`).
  /// - `NTSEC_PAM_SERVICE`: the PAM service of LogonUser (default `ntsecurity`).
  /// - `NTSEC_LOGON_KEYTAB`: the keytab a domain (Kerberos) logon verifies tickets with
  ///   (default: the system keytab, `KRB5_KTNAME` or `/etc/krb5.keytab`).
  /// - `NTSEC_LOGON_SERVICE_PRINCIPAL`: the principal a domain logon gets its service ticket for
  ///   (default: the keytab's first principal).
  /// - `NTSEC_WINBIND`: `1` to ask winbindd whatever smb.conf says, `0` never to; unset, winbindd
  ///   is asked when smb.conf makes the host a domain member or controller and winbindd answers.
  public struct Configuration: Hashable, Sendable {
    /// The file holding the machine SID when Samba does not provide one.
    public var machineSIDPath: String
    /// smb.conf, or nil to leave Samba out.
    public var sambaConfigurationPath: String?
    /// The file behind AllocateLocallyUniqueId for unprivileged callers (shared, mode 0666).
    public var locallyUniqueIDCounterPath: String
    /// The file behind AllocateLocallyUniqueId for root: root-owned, mode 0600, in a directory
    /// only root can write.
    public var privilegedLocallyUniqueIDCounterPath: String
    /// Whether to ask winbindd (libwbclient): nil decides from smb.conf (a domain member or
    /// controller) and whether winbindd answers.
    public var usesWinbind: Bool?
    /// The PAM service LogonUser runs (`/etc/pam.d/<name>`; PAM falls back to `other`).
    public var logonService: String
    /// How long a failed LogonUser takes at least, measured from its start, whatever failed
    /// (unknown user, wrong password, account checks), so that its time does not tell them apart.
    public var logonFailureDuration: Duration
    /// The keytab a domain (Kerberos) logon accepts its service ticket with; nil: the system keytab.
    public var logonKeytab: String?
    /// The host principal a domain logon gets a service ticket for; nil: the keytab's first one.
    public var logonServicePrincipal: String?

    public init(
      machineSIDPath: String = "/var/lib/ntsec/machine-sid",
      sambaConfigurationPath: String? = "/etc/samba/smb.conf",
      locallyUniqueIDCounterPath: String = "/dev/shm/ntsec-luid",
      privilegedLocallyUniqueIDCounterPath: String = "/run/ntsec-luid", usesWinbind: Bool? = nil,
      logonService: String = "ntsecurity", logonFailureDuration: Duration = .seconds(2)
    ) {
      self.logonService = logonService
      self.logonFailureDuration = logonFailureDuration
      self.usesWinbind = usesWinbind
      self.machineSIDPath = machineSIDPath
      self.sambaConfigurationPath = sambaConfigurationPath
      self.locallyUniqueIDCounterPath = locallyUniqueIDCounterPath
      self.privilegedLocallyUniqueIDCounterPath = privilegedLocallyUniqueIDCounterPath
    }

    /// The defaults, overridden by the environment variables above.
    public static var current: Configuration {
      let environment = ProcessInfo.processInfo.environment
      var configuration = Configuration()
      if let path = environment["NTSEC_MACHINE_SID_FILE"], !path.isEmpty {
        configuration.machineSIDPath = path
      }
      if let path = environment["NTSEC_SMB_CONF"] {
        configuration.sambaConfigurationPath = path.isEmpty ? nil : path
      }
      if let path = environment["NTSEC_LUID_COUNTER"], !path.isEmpty {
        configuration.locallyUniqueIDCounterPath = path
      }
      if let path = environment["NTSEC_PRIVILEGED_LUID_COUNTER"], !path.isEmpty {
        configuration.privilegedLocallyUniqueIDCounterPath = path
      }
      if let service = environment["NTSEC_PAM_SERVICE"], !service.isEmpty {
        configuration.logonService = service
      }
      if let keytab = environment["NTSEC_LOGON_KEYTAB"], !keytab.isEmpty {
        configuration.logonKeytab = keytab
      }
      if let principal = environment["NTSEC_LOGON_SERVICE_PRINCIPAL"], !principal.isEmpty {
        configuration.logonServicePrincipal = principal
      }
      switch environment["NTSEC_WINBIND"] {
      case "1": configuration.usesWinbind = true
      case "0": configuration.usesWinbind = false
      default: break
      }
      return configuration
    }
  }
}
