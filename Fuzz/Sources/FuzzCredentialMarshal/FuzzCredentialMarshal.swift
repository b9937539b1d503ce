import CredentialManager

/// Marshaled credentials and user names, as they arrive from anywhere (CredUnmarshalCredential,
/// CredIsMarshaledCredential, CredUIParseUserName): nothing crashes; whatever unmarshals marshals
/// back to the same string; a parsed name is made of the input's parts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let value = try? CredentialManager.unmarshal(text) {
    precondition(CredentialManager.isMarshaled(text))
    let again = try! CredentialManager.marshal(value)
    precondition(try! CredentialManager.unmarshal(again) == value, "unmarshal ∘ marshal changed \(text)")
  } else {
    precondition(!CredentialManager.isMarshaled(text))
  }
  if let parsed = try? CredentialManager.parseUserName(text) {
    precondition(parsed.domain.isEmpty ? parsed.user == text : parsed.domain + "\\" + parsed.user == text)
  }
  return 0
}
