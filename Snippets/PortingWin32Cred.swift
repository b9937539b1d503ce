// win32cred calls and their CredentialManager counterparts. Writes to the calling user's vault.

// snippet.hide
import CredentialManager

// snippet.show
// snippet.write
let credential = Credential(
  type: .generic, targetName: "MyApp/server", userName: "alice", password: "s3cret",
  persist: .localMachine, comment: "API token")
try CredentialManager.write(credential)

// snippet.read
let stored = try CredentialManager.read(target: "MyApp/server", type: .generic)
print(stored.userName ?? "", stored.credentialBlob.password ?? "")  // alice s3cret
print(stored)  // the secret is never printed

// snippet.enumerate
for c in try CredentialManager.enumerate(filter: "MyApp/*") {
  print(c.targetName, c.type, c.persist)
}

// snippet.delete
try CredentialManager.rename(target: "MyApp/server", to: "MyApp/server2", type: .generic)
try CredentialManager.delete(target: "MyApp/server2", type: .generic)
do {
  _ = try CredentialManager.read(target: "MyApp/server2", type: .generic)
} catch {
  print(error.code.name)  // ERROR_NOT_FOUND
}

// snippet.marshal
let marshaled = try CredentialManager.marshal(.usernameTarget("alice"))
print(CredentialManager.isMarshaled(marshaled), try CredentialManager.unmarshal(marshaled))
let parsed = try CredentialManager.parseUserName("NTSEC\\alice")
print(parsed.domain, parsed.user)  // NTSEC alice

// snippet.vault
// A vault of its own, away from the user's, with the key behind a passphrase.
let vault = try CredentialVault(
  location: .inside("/tmp/myapp-vault"), protection: .passphrase, passphrase: { "correct horse" })
try vault.write(Credential(type: .generic, targetName: "other", userName: "bob", password: "pw"))
print(try vault.enumerate().count)
// snippet.end
