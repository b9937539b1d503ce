import Crypto
import Foundation
import NTSecurity
import _CryptoExtras

#if canImport(Glibc)
  import Glibc
#endif

/// How a vault's 256-bit master key is kept (docs/credential-vault.md gives each one's threat
/// model).
public enum VaultKeyProtection: String, Hashable, Sendable {
  /// For a new vault: the Secret Service when a D-Bus session exists, else a machine-bound key
  /// file (a plain key file on a system without `/etc/machine-id`).
  case automatic
  /// The key itself in `$XDG_CONFIG_HOME/ntsec/vault.key` (0600): portable, so a copy of the
  /// home directory opens anywhere. Only when asked for; older vaults' plain key files are made
  /// machine-bound when opened.
  case keyFile = "key-file"
  /// The key file holds a random share; the key that wraps the master key is derived with HKDF
  /// from it, `/etc/machine-id` and the user id, so the file alone opens nothing elsewhere.
  case machineBound = "machine-bound"
  /// The key file holds the master key wrapped (AES-GCM) under a key derived from a passphrase
  /// with scrypt; the derived key is cached in the kernel session keyring for the session.
  case passphrase
  /// The key lives in the Secret Service (libsecret); the key file only names it.
  case secretService = "secret-service"
}

/// Obtains the master key of a vault, creating key material for a new vault.
struct VaultKeyStore {
  var location: VaultLocation
  var protection: VaultKeyProtection
  var passphrase: (@Sendable () -> String?)?

  static let machineBindingSalt = Array("ntsec-vault-machine-binding-1".utf8)

  /// Returns the master key and the vault identifier. `creating` allows making a new key.
  func masterKey(creating: Bool) throws(NTSecurityError) -> (SymmetricKey, String) {
    let path = location.keyFilePath
    try VaultLocation.preparePrivateDirectory(location.configDirectory)
    if access(path, F_OK) != 0 {
      guard creating else {
        throw NTSecurityError(.decryptionFailed, "the vault's key file \(path) is missing")
      }
      try create(path)
    }
    var file = try readFile()
    defer { file.wipeSecrets() }
    switch file.protection {
    case .keyFile:
      let key = SymmetricKey(data: file.key!)
      if !file.portable {
        // A plain key file from before machine binding: bind it now (best effort; a read-only
        // config directory keeps working with the plain file).
        try? reprotect(file, masterKey: key, to: .machineBound, newPassphrase: nil)
      }
      return (key, file.id)
    case .machineBound:
      return (try VaultKeyStore.unbind(file), file.id)
    case .passphrase:
      return (try unwrap(file), file.id)
    case .secretService, .automatic:
      for attempt in 0..<50 {
        if let secret = try SecretService.lookup(vault: file.id), let d = Data(base64Encoded: secret),
          d.count == 32
        {
          return (SymmetricKey(data: d), file.id)
        }
        // A process that created the key file a moment ago may still be storing the secret.
        if attempt < 49 { usleep(20_000) }
      }
      throw NTSecurityError(.decryptionFailed, "the Secret Service holds no key for vault \(file.id)")
    }
  }

  func readFile() throws(NTSecurityError) -> VaultKeyFile {
    let path = location.keyFilePath
    try VaultLocation.checkPrivateFile(path)
    var bytes = try VaultKeyFile.readBytes(path)
    defer { wipe(&bytes) }
    return try VaultKeyFile.parse(bytes, path: path)
  }

  private func create(_ path: String) throws(NTSecurityError) {
    var chosen = protection
    let automatic = chosen == .automatic
    if automatic {
      chosen =
        SecretService.sessionBusAvailable
        ? .secretService : VaultKeyStore.machineID() != nil ? .machineBound : .keyFile
    }
    var master = [UInt8](repeating: 0, count: 32)
    defer { wipe(&master) }
    fillRandom(&master)
    var file = VaultKeyFile(id: UUID().uuidString.lowercased(), protection: chosen)
    defer { file.wipeSecrets() }
    switch chosen {
    case .keyFile, .automatic:
      file.protection = .keyFile
      file.key = master
      file.portable = !automatic
    case .machineBound:
      try VaultKeyStore.bind(&file, master: master)
    case .passphrase:
      guard let phrase = passphrase?(), !phrase.isEmpty else {
        throw NTSecurityError(.invalidParameter, "a passphrase-protected vault needs a passphrase")
      }
      try VaultKeyStore.wrap(&file, master: master, phrase: phrase)
    case .secretService:
      do {
        try SecretService.store(
          vault: file.id, label: "NTSecurity credential vault key", secret: Data(master).base64EncodedString()
        )
      } catch {
        // A D-Bus session without a Secret Service provider: automatic falls back to a key file.
        guard automatic else { throw error }
        if VaultKeyStore.machineID() != nil {
          file.protection = .machineBound
          try VaultKeyStore.bind(&file, master: master)
        } else {
          file.protection = .keyFile
          file.key = master
        }
      }
    }
    var bytes = file.bytes()
    defer { wipe(&bytes) }
    try VaultKeyStore.writeExclusively(bytes, to: path)
  }

  // MARK: Changing the protection

  /// Re-protects the existing vault's master key (`ntsec cred key protect|unprotect`): to
  /// `.passphrase` (with `newPassphrase`), `.machineBound` or `.keyFile` (portable). The file is
  /// replaced atomically; the master key, and so the data, stay the same.
  func changeProtection(to target: VaultKeyProtection, newPassphrase: String?) throws(NTSecurityError) {
    guard [.passphrase, .machineBound, .keyFile].contains(target) else {
      throw NTSecurityError(
        .invalidParameter, "a vault key can be protected by a passphrase, the machine or nothing")
    }
    var file = try readFile()
    defer { file.wipeSecrets() }
    guard file.protection != .secretService else {
      throw NTSecurityError(.notSupported, "this vault's key is kept by the Secret Service")
    }
    let (key, _) = try masterKey(creating: false)
    // masterKey may have bound a legacy plain file: start from what is on disk now.
    file.wipeSecrets()
    file = try readFile()
    try reprotect(file, masterKey: key, to: target, newPassphrase: newPassphrase)
  }

  private func reprotect(
    _ old: VaultKeyFile, masterKey: SymmetricKey, to target: VaultKeyProtection, newPassphrase: String?
  ) throws(NTSecurityError) {
    var master = masterKey.withUnsafeBytes { Array($0) }
    defer { wipe(&master) }
    var file = VaultKeyFile(id: old.id, protection: target)
    defer { file.wipeSecrets() }
    switch target {
    case .passphrase:
      guard let phrase = newPassphrase, !phrase.isEmpty else {
        throw NTSecurityError(.invalidParameter, "protecting the vault key needs a non-empty passphrase")
      }
      try VaultKeyStore.wrap(&file, master: master, phrase: phrase)
    case .machineBound:
      try VaultKeyStore.bind(&file, master: master)
    default:
      file.key = master
      file.portable = true
    }
    var bytes = file.bytes()
    defer { wipe(&bytes) }
    try VaultKeyStore.replace(bytes, at: location.keyFilePath)
    if old.protection == .passphrase && target != .passphrase {
      _ = KernelKeyring.remove(description: "ntsec:vault-kek:\(old.id)")
    }
  }

  // MARK: Machine binding

  /// `/etc/machine-id` (or D-Bus's copy), trimmed; nil when the system has none.
  static func machineID() -> [UInt8]? {
    for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
      guard let d = FileManager.default.contents(atPath: path) else { continue }
      let id = Array(d).filter { $0 != 0x0A && $0 != 0x20 }
      if id.count >= 16 { return id }
    }
    return nil
  }

  /// HKDF-SHA256(share; salt; machine id ‖ uid ‖ vault id): the key wrapping a machine-bound
  /// vault's master key.
  static func bindingKey(
    share: [UInt8], vaultID: String, machine: [UInt8]? = machineID(), uid: uid_t = geteuid()
  ) throws(NTSecurityError) -> SymmetricKey {
    guard let machine else {
      throw NTSecurityError(
        .decryptionFailed, "the vault key is bound to a machine, and this system has no machine id")
    }
    var info = machine + Array(":uid=\(uid):vault=\(vaultID)".utf8)
    defer { wipe(&info) }
    return HKDF<SHA256>.deriveKey(
      inputKeyMaterial: SymmetricKey(data: share), salt: machineBindingSalt, info: info, outputByteCount: 32)
  }

  static func bind(_ file: inout VaultKeyFile, master: [UInt8]) throws(NTSecurityError) {
    var share = [UInt8](repeating: 0, count: 32)
    fillRandom(&share)
    let kek = try bindingKey(share: share, vaultID: file.id)
    file.protection = .machineBound
    file.share = share
    wipe(&share)
    file.wrapped = try seal(master, kek: kek)
  }

  static func unbind(_ file: VaultKeyFile, machine: [UInt8]? = machineID(), uid: uid_t = geteuid())
    throws(NTSecurityError) -> SymmetricKey
  {
    let kek = try bindingKey(share: file.share!, vaultID: file.id, machine: machine, uid: uid)
    guard let key = open(file.wrapped!, kek: kek) else {
      throw NTSecurityError(
        .decryptionFailed,
        "the vault key is bound to another machine or user (machine id and uid do not match)")
    }
    return key
  }

  static func seal(_ master: [UInt8], kek: SymmetricKey) throws(NTSecurityError) -> [UInt8] {
    do {
      return Array(try AES.GCM.seal(master, using: kek, authenticating: VaultKeyFile.wrapAAD).combined!)
    } catch {
      throw NTSecurityError(.invalidData, "cannot wrap the master key")
    }
  }

  static func open(_ wrapped: [UInt8], kek: SymmetricKey) -> SymmetricKey? {
    guard let box = try? AES.GCM.SealedBox(combined: wrapped),
      var bytes = try? Array(AES.GCM.open(box, using: kek, authenticating: VaultKeyFile.wrapAAD))
    else { return nil }
    defer { wipe(&bytes) }
    return SymmetricKey(data: bytes)
  }

  // MARK: Passphrase

  static func wrap(_ file: inout VaultKeyFile, master: [UInt8], phrase: String) throws(NTSecurityError) {
    var salt = [UInt8](repeating: 0, count: 16)
    fillRandom(&salt)
    let kek = try derive(phrase, salt: salt, n: VaultKeyFile.scryptN, r: 8, p: 1)
    file.protection = .passphrase
    file.wrapped = try seal(master, kek: kek)
    file.scrypt = (VaultKeyFile.scryptN, 8, 1, salt)
    cache(kek, id: file.id)
  }

  static func derive(_ phrase: String, salt: [UInt8], n: Int, r: Int, p: Int) throws(NTSecurityError)
    -> SymmetricKey
  {
    guard n > 1, n & (n - 1) == 0, n <= 1 << 20, r >= 1, r <= 32, p >= 1, p <= 16 else {
      throw NTSecurityError(.invalidData, "the key file's scrypt parameters are out of range")
    }
    var bytes = Array(phrase.utf8)
    defer { wipe(&bytes) }
    do {
      return try KDF.Scrypt.deriveKey(
        from: bytes, salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p,
        maxMemory: 256 * 1024 * 1024)
    } catch {
      throw NTSecurityError(.invalidParameter, "scrypt failed")
    }
  }

  static func cache(_ kek: SymmetricKey, id: String) {
    var bytes = kek.withUnsafeBytes { Array($0) }
    defer { wipe(&bytes) }
    try? KernelKeyring.add(description: "ntsec:vault-kek:\(id)", payload: bytes)
  }

  private func unwrap(_ file: VaultKeyFile) throws(NTSecurityError) -> SymmetricKey {
    guard let s = file.scrypt, let wrapped = file.wrapped else {
      throw NTSecurityError(.invalidData, "incomplete passphrase key file")
    }
    if var cached = KernelKeyring.read(description: "ntsec:vault-kek:\(file.id)") {
      defer { wipe(&cached) }
      if cached.count == 32, let key = VaultKeyStore.open(wrapped, kek: SymmetricKey(data: cached)) {
        return key
      }
    }
    guard let phrase = passphrase?() else {
      throw NTSecurityError(.wrongPassword, "the vault is locked: its passphrase is needed")
    }
    let kek = try VaultKeyStore.derive(phrase, salt: s.salt, n: s.n, r: s.r, p: s.p)
    guard let key = VaultKeyStore.open(wrapped, kek: kek) else {
      throw NTSecurityError(.wrongPassword, "the vault passphrase is wrong")
    }
    VaultKeyStore.cache(kek, id: file.id)
    return key
  }

  // MARK: Writing the file

  /// Writes a 0600 file and links it into place only if no file is there yet, so two processes
  /// creating a vault at once agree on one key.
  static func writeExclusively(_ bytes: [UInt8], to path: String) throws(NTSecurityError) {
    let temp = try writeTemporary(bytes, beside: path)
    defer { unlink(temp) }
    if link(temp, path) != 0 && errno != EEXIST {
      throw NTSecurityError(.accessDenied, "cannot create \(path): \(errnoText())")
    }
    syncDirectory(of: path)
  }

  /// Replaces the file atomically (rename): readers see the old or the new file, both valid.
  static func replace(_ bytes: [UInt8], at path: String) throws(NTSecurityError) {
    let temp = try writeTemporary(bytes, beside: path)
    guard rename(temp, path) == 0 else {
      unlink(temp)
      throw NTSecurityError(.accessDenied, "cannot replace \(path): \(errnoText())")
    }
    syncDirectory(of: path)
  }

  private static func writeTemporary(_ bytes: [UInt8], beside path: String) throws(NTSecurityError) -> String
  {
    let temp = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw NTSecurityError(.accessDenied, "cannot create \(temp): \(errnoText())") }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == bytes.count, synced == 0 else {
      unlink(temp)
      throw NTSecurityError(.writeFault, "cannot write \(temp): \(errnoText())")
    }
    return temp
  }

  private static func syncDirectory(of path: String) {
    let dir = Glibc.open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }
}

extension VaultKeyFile {
  /// Overwrites the key material this value holds.
  mutating func wipeSecrets() {
    if key != nil { wipe(&key!) }
    if share != nil { wipe(&share!) }
    if wrapped != nil { wipe(&wrapped!) }
  }
}

func fillRandom(_ bytes: inout [UInt8]) {
  var generator = SystemRandomNumberGenerator()
  for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
}
