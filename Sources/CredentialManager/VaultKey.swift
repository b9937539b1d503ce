import Crypto
import Foundation
import _CryptoExtras

#if canImport(Glibc)
  import Glibc
#endif

/// How a vault's 256-bit master key is kept.
public enum VaultKeyProtection: String, Hashable, Sendable {
  /// For a new vault: the Secret Service when a D-Bus session exists, else a key file.
  case automatic
  /// The key in `$XDG_CONFIG_HOME/ntsec/vault.key` (0600), apart from the data.
  case keyFile = "key-file"
  /// The key file holds the master key wrapped (AES-GCM) under a key derived from a passphrase
  /// with scrypt; the derived key is cached in the kernel session keyring for the session.
  case passphrase
  /// The key lives in the Secret Service (libsecret); the key file only names it.
  case secretService = "secret-service"
}

/// Reads and creates `vault.key`. Its text form is `name value` lines:
/// `ntsec-vault-key 1`, `id UUID`, `protection key-file|passphrase|secret-service`, then
/// `key BASE64` (key file), or `scrypt N r p SALT` and `wrapped BASE64` (passphrase).
struct VaultKeyFile {
  var id: String
  var protection: VaultKeyProtection
  var key: [UInt8]?
  var scrypt: (n: Int, r: Int, p: Int, salt: [UInt8])?
  var wrapped: [UInt8]?

  static let scryptN = 1 << 15
  static let wrapAAD = Array("ntsec-vault-master-key".utf8)

  func text() -> String {
    var lines = ["ntsec-vault-key 1", "id \(id)", "protection \(protection.rawValue)"]
    if let key { lines.append("key \(Data(key).base64EncodedString())") }
    if let s = scrypt { lines.append("scrypt \(s.n) \(s.r) \(s.p) \(Data(s.salt).base64EncodedString())") }
    if let wrapped { lines.append("wrapped \(Data(wrapped).base64EncodedString())") }
    return lines.joined(separator: "\n") + "\n"
  }

  static func parse(_ text: String, path: String) throws(CredentialError) -> VaultKeyFile {
    let bad = CredentialError(.invalidData, "\(path) is not a vault key file")
    var fields: [String: [String]] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ").map(String.init)
      guard let name = parts.first else { continue }
      fields[name] = Array(parts.dropFirst())
    }
    guard fields["ntsec-vault-key"] == ["1"], let id = fields["id"]?.first,
      let p = fields["protection"]?.first, let protection = VaultKeyProtection(rawValue: p)
    else { throw bad }
    var file = VaultKeyFile(id: id, protection: protection)
    switch protection {
    case .keyFile:
      guard let k = fields["key"]?.first, let d = Data(base64Encoded: k), d.count == 32 else { throw bad }
      file.key = Array(d)
    case .passphrase:
      guard let s = fields["scrypt"], s.count == 4, let n = Int(s[0]), let r = Int(s[1]), let pp = Int(s[2]),
        let salt = Data(base64Encoded: s[3]), let w = fields["wrapped"]?.first,
        let wd = Data(base64Encoded: w)
      else { throw bad }
      file.scrypt = (n, r, pp, Array(salt))
      file.wrapped = Array(wd)
    case .secretService, .automatic:
      break
    }
    return file
  }

  init(id: String, protection: VaultKeyProtection) {
    self.id = id
    self.protection = protection
  }
}

/// Obtains the master key of a vault, creating key material for a new vault.
struct VaultKeyStore {
  var location: VaultLocation
  var protection: VaultKeyProtection
  var passphrase: (@Sendable () -> String?)?

  /// Returns the master key and the vault identifier. `creating` allows making a new key.
  func masterKey(creating: Bool) throws(CredentialError) -> (SymmetricKey, String) {
    let path = location.keyFilePath
    try VaultLocation.preparePrivateDirectory(location.configDirectory)
    if access(path, F_OK) != 0 {
      guard creating else {
        throw CredentialError(.decryptionFailed, "the vault's key file \(path) is missing")
      }
      try create(path)
    }
    try VaultLocation.checkPrivateFile(path)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CredentialError(.accessDenied, "cannot read \(path): \(errnoText())")
    }
    let file = try VaultKeyFile.parse(String(decoding: data, as: UTF8.self), path: path)
    switch file.protection {
    case .keyFile:
      return (SymmetricKey(data: file.key!), file.id)
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
      throw CredentialError(.decryptionFailed, "the Secret Service holds no key for vault \(file.id)")
    }
  }

  private func create(_ path: String) throws(CredentialError) {
    var chosen = protection
    let automatic = chosen == .automatic
    if automatic { chosen = SecretService.sessionBusAvailable ? .secretService : .keyFile }
    var master = [UInt8](repeating: 0, count: 32)
    defer { wipe(&master) }
    fillRandom(&master)
    var file = VaultKeyFile(id: UUID().uuidString.lowercased(), protection: chosen)
    switch chosen {
    case .keyFile, .automatic:
      file.key = master
    case .passphrase:
      guard let phrase = passphrase?(), !phrase.isEmpty else {
        throw CredentialError(.invalidParameter, "a passphrase-protected vault needs a passphrase")
      }
      var salt = [UInt8](repeating: 0, count: 16)
      fillRandom(&salt)
      let kek = try derive(phrase, salt: salt, n: VaultKeyFile.scryptN, r: 8, p: 1)
      do {
        let box = try AES.GCM.seal(master, using: kek, authenticating: VaultKeyFile.wrapAAD)
        file.wrapped = Array(box.combined!)
      } catch { throw CredentialError(.invalidData, "cannot wrap the master key") }
      file.scrypt = (VaultKeyFile.scryptN, 8, 1, salt)
      cache(kek, id: file.id)
    case .secretService:
      do {
        try SecretService.store(
          vault: file.id, label: "NTSecurity credential vault key", secret: Data(master).base64EncodedString())
      } catch {
        // A D-Bus session without a Secret Service provider: automatic falls back to a key file.
        guard automatic else { throw error }
        file.protection = .keyFile
        file.key = master
      }
    }
    try VaultKeyStore.writeExclusively(file.text(), to: path)
  }

  /// Writes a 0600 file and links it into place only if no file is there yet, so two processes
  /// creating a vault at once agree on one key.
  static func writeExclusively(_ text: String, to path: String) throws(CredentialError) {
    let temp = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw CredentialError(.accessDenied, "cannot create \(temp): \(errnoText())") }
    var bytes = Array(text.utf8)
    defer { wipe(&bytes) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    defer { unlink(temp) }
    guard written == bytes.count, synced == 0 else {
      throw CredentialError(.writeFault, "cannot write \(temp): \(errnoText())")
    }
    if link(temp, path) != 0 && errno != EEXIST {
      throw CredentialError(.accessDenied, "cannot create \(path): \(errnoText())")
    }
    let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }

  private func derive(_ phrase: String, salt: [UInt8], n: Int, r: Int, p: Int) throws(CredentialError)
    -> SymmetricKey
  {
    do {
      return try KDF.Scrypt.deriveKey(
        from: Array(phrase.utf8), salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p,
        maxMemory: 256 * 1024 * 1024)
    } catch {
      throw CredentialError(.invalidParameter, "scrypt failed")
    }
  }

  private func cache(_ kek: SymmetricKey, id: String) {
    let bytes = kek.withUnsafeBytes { Array($0) }
    try? KernelKeyring.add(description: "ntsec:vault-kek:\(id)", payload: bytes)
  }

  private func unwrap(_ file: VaultKeyFile) throws(CredentialError) -> SymmetricKey {
    guard let s = file.scrypt, let wrapped = file.wrapped else {
      throw CredentialError(.invalidData, "incomplete passphrase key file")
    }
    func open(_ kek: SymmetricKey) -> SymmetricKey? {
      guard let box = try? AES.GCM.SealedBox(combined: wrapped),
        var bytes = try? Array(AES.GCM.open(box, using: kek, authenticating: VaultKeyFile.wrapAAD))
      else { return nil }
      defer { wipe(&bytes) }
      return SymmetricKey(data: bytes)
    }
    if let cached = KernelKeyring.read(description: "ntsec:vault-kek:\(file.id)"), cached.count == 32,
      let key = open(SymmetricKey(data: cached))
    {
      return key
    }
    guard let phrase = passphrase?() else {
      throw CredentialError(.wrongPassword, "the vault is locked: its passphrase is needed")
    }
    let kek = try derive(phrase, salt: s.salt, n: s.n, r: s.r, p: s.p)
    guard let key = open(kek) else { throw CredentialError(.wrongPassword, "the vault passphrase is wrong") }
    cache(kek, id: file.id)
    return key
  }
}

func fillRandom(_ bytes: inout [UInt8]) {
  var generator = SystemRandomNumberGenerator()
  for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
}
