// A service of an Active Directory domain: accept a client with Negotiate, read the client's
// token from the PAC, decide with AccessCheck. Run with KRB5_KTNAME naming the service's keytab.

// snippet.hide
import NTSecurity
import SSPI

/// The application's transport: one token in, one token out.
func receiveToken() -> [UInt8] { [] }
func sendToken(_ token: [UInt8]) {}

// snippet.show
// snippet.accept
let credentials = try SSPI.acquireCredentialsHandle(
  principal: "HTTP/web.ad.ntsec.test", package: "Negotiate", use: .inbound
).credentials
var step = try SSPI.acceptSecurityContext(credentials: credentials, input: .token(receiveToken()))
while step.status == .continueNeeded {
  sendToken(step.token)
  step = try SSPI.acceptSecurityContext(
    credentials: credentials, context: step.context, input: .token(receiveToken()))
}
if !step.token.isEmpty { sendToken(step.token) }  // Kerberos mutual authentication

// snippet.decide
let token = try step.context.querySecurityContextToken()
guard case .pac? = step.context.tokenRule else {
  fatalError("no PAC: the client did not authenticate through the domain's KDC")
}
let staff = try SID(parsing: "S-1-5-21-1004336348-1177238915-682003330-1107")  // from LDAP
let document = try SecurityDescriptor(sddl: "O:BAG:BAD:(A;;FR;;;\(staff))(A;;FA;;;BA)")
let result = try AccessCheck.evaluate(
  token: token, descriptor: document, desired: AccessMask.genericRead.mapped(by: .file))
print(token.user.sid, result.isGranted)
// snippet.end
