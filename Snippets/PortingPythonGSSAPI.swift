// python-gssapi's gssapi.raw calls and their GSSAPI counterparts. Needs a Kerberos ticket or
// keytab to run; the guide shows the calls side by side.

// snippet.hide
import GSSAPI

/// The transport between the two peers, which GSS-API leaves to the application.
func exchange(_ token: [UInt8]) -> [UInt8] { token }

// snippet.show
// snippet.names
let target = try GSSAPI.importName("HTTP@web.example.com", type: GSSAPI.NameType.hostbasedService)
let canonical = try GSSAPI.canonicalizeName(target, mechanism: GSSAPI.MechanismType.kerberos)
print(try GSSAPI.displayName(canonical).name)  // HTTP/web.example.com@EXAMPLE.COM

// snippet.initiate
var step = try GSSAPI.initSecurityContext(
  target: target, mechanism: GSSAPI.MechanismType.kerberos,
  flags: [.mutualAuthentication, .confidentiality, .integrity])
while step.moreSteps {
  let reply = exchange(step.token ?? [])
  step = try GSSAPI.initSecurityContext(target: target, context: step.context, inputToken: reply)
}
let context = step.context

// snippet.messages
let wrapped = try GSSAPI.wrap(context, message: Array("hello".utf8), confidential: true)
let plain = try GSSAPI.unwrap(context, message: wrapped.message)
print(plain.encrypted, String(decoding: plain.message, as: UTF8.self))
let mic = try GSSAPI.getMIC(context, message: Array("hello".utf8))
try GSSAPI.verifyMIC(context, message: Array("hello".utf8), token: mic)

// snippet.accept
let serverCredentials = try GSSAPI.acquireCredentials(usage: .accept).credentials
let accepted = try GSSAPI.acceptSecurityContext(
  inputToken: exchange([]), credentials: serverCredentials)
if let client = accepted.initiatorName {
  let pac = try GSSAPI.getNameAttribute(client, "urn:mspac:logon-info")
  print(client, pac.values.first?.count ?? 0)
}

// snippet.password
let alice = try GSSAPI.importName("alice@EXAMPLE.COM", type: GSSAPI.NameType.kerberosPrincipal)
let aliceCredentials = try GSSAPI.acquireCredentials(
  name: alice, password: Array("Alice-Pass-1".utf8), usage: .initiate
).credentials
print(try GSSAPI.inquireCredentials(aliceCredentials).lifetime ?? 0)

// snippet.errors
do {
  _ = try GSSAPI.importName("not a principal@@", type: GSSAPI.NameType.kerberosPrincipal)
} catch {
  // error is a GSSError: python-gssapi's exception class, the major and minor codes.
  print(error.pythonName, error.major, error.minor, error.minorMessages)
}
// snippet.end
