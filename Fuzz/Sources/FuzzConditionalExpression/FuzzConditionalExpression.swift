import NTSecurity

/// Conditional-expression bytecode (callback ACE application data): decoding never crashes; what
/// decodes re-encodes to a value that decodes the same, and its SDDL text, if any, parses back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array("artx".utf8) + Array(UnsafeBufferPointer(start: data, count: size))
  guard let expression = try? ConditionalExpression(binary: bytes) else { return 0 }
  let again = try! ConditionalExpression(binary: expression.binary)
  precondition(again == expression, "decode(encode(x)) != x")
  if let text = try? expression.sddl() {
    do {
      _ = try ConditionalExpression(sddl: text).binary
    } catch {
      precondition(!error.message.hasPrefix("unexpected text after"), "condition text not consumed: \(text)")
    }
  }
  return 0
}
