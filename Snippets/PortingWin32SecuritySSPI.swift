// pywin32's SSPI calls (win32security) and their SSPI counterparts: a client and a server in
// one process. Needs Kerberos credentials and a keytab for the target to run.

// snippet.hide
import NTSecurity
import SSPI

// snippet.show
// snippet.packages
for package in SSPI.enumerateSecurityPackages() {
  print(package.name, package.maxToken, package.capabilities)
}
let kerberos = try SSPI.querySecurityPackageInfo("Kerberos")

// snippet.credentials
let client = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .outbound)
let server = try SSPI.acquireCredentialsHandle(package: "Kerberos", use: .inbound)
print(client.expiry, kerberos.name)

// snippet.loop
let target = "HTTP/web.example.com"
var out = try SSPI.initializeSecurityContext(
  credentials: client.credentials, target: target,
  requirements: [.mutualAuth, .confidentiality, .integrity])
var accepted = try SSPI.acceptSecurityContext(credentials: server.credentials, input: .token(out.token))
while out.status == .continueNeeded {
  out = try SSPI.initializeSecurityContext(
    credentials: client.credentials, context: out.context, target: target, input: .token(accepted.token))
  if out.status == .continueNeeded {
    accepted = try SSPI.acceptSecurityContext(
      credentials: server.credentials, context: accepted.context, input: .token(out.token))
  }
}

// snippet.messages
let sizes = try out.context.attribute(.sizes)
print(sizes)
var message: SSPI.SecurityBufferDescriptor = [
  SSPI.SecurityBuffer(.token, size: 64), SSPI.SecurityBuffer(.data, Array("hello".utf8)),
]
try out.context.encryptMessage(&message)
try accepted.context.decryptMessage(&message)
print(String(decoding: message.first(.data)?.bytes ?? [], as: UTF8.self))  // hello

// snippet.token
let token: AccessToken = try accepted.context.querySecurityContextToken()
print(token.user.sid, accepted.context.tokenRule.map(String.init(describing:)) ?? "")
try accepted.context.impersonate()
let document = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;AU)")
print(try SSPI.accessCheck(descriptor: document, desired: .fileReadData).isGranted)
try accepted.context.revert()

// snippet.errors
do {
  _ = try SSPI.acquireCredentialsHandle(package: "Schannel", use: .outbound)
} catch {
  print(error.status)  // SEC_E_SECPKG_NOT_FOUND
}
// snippet.end
