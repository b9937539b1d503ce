import NTSecurity

extension CredentialVault {
  /// Changes how the vault's master key is kept (`ntsec cred key protect|unprotect`):
  /// `.passphrase` (wrapped under `newPassphrase` with scrypt), `.machineBound` (the unattended
  /// default) or `.keyFile` (plain and portable). `passphrase` unlocks a passphrase-protected key
  /// when its derived key is not cached. The stored credentials are untouched: the master key
  /// stays the same. ERROR_NOT_SUPPORTED for a key kept by the Secret Service.
  public static func changeKeyProtection(
    location: VaultLocation, to protection: VaultKeyProtection, newPassphrase: String? = nil,
    passphrase: (@Sendable () -> String?)? = nil
  ) throws(NTSecurityError) {
    try VaultKeyStore(location: location, protection: protection, passphrase: passphrase)
      .changeProtection(to: protection, newPassphrase: newPassphrase)
  }

  /// How the vault's master key is kept now (read from its key file).
  public static func keyProtection(location: VaultLocation) throws(NTSecurityError) -> VaultKeyProtection {
    var file = try VaultKeyStore(location: location, protection: .automatic, passphrase: nil).readFile()
    defer { file.wipeSecrets() }
    return file.protection
  }
}
