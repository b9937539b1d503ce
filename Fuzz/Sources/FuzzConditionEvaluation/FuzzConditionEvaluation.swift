import NTSecurity

/// Conditional-expression evaluation over random bytes against a fixed token: never crashes; raw
/// application data and the validated expression give the same result; `!` appended to a valid
/// expression inverts it (UNKNOWN stays UNKNOWN).
func sid(_ text: String) -> SID { SID(text)! }

/// The token and object every input is evaluated against (built per input: values held by
/// globals would show up as leaks in libFuzzer's leak check).
func makeContext() -> ConditionContext {
  let token = AccessToken(
    user: sid("S-1-5-21-1-2-3-1001"),
    groups: [
      SIDAndAttributes(sid("S-1-5-32-544"), [.mandatory, .enabled]),
      SIDAndAttributes(sid("S-1-5-21-1-2-3-2000"), [.useForDenyOnly]),
      SIDAndAttributes(sid("S-1-1-0"), [.mandatory]),
    ],
    userClaims: [
      ClaimSecurityAttribute(name: "a", values: .string(["x", "Y"])),
      ClaimSecurityAttribute(name: "b", values: .int64([1, -5])),
      ClaimSecurityAttribute(name: "c", values: .uint64([7])),
      ClaimSecurityAttribute(name: "d", flags: .valueCaseSensitive, values: .string(["Q"])),
      ClaimSecurityAttribute(name: "e", values: .sids([sid("S-1-5-32-544")])),
      ClaimSecurityAttribute(name: "f", values: .booleans([true])),
      ClaimSecurityAttribute(name: "g", values: .octetString([[1, 2]])),
      ClaimSecurityAttribute(name: "h", flags: .useForDenyOnly, values: .int64([0])),
    ],
    deviceClaims: [ClaimSecurityAttribute(name: "a", values: .int64([3]))],
    deviceGroups: [SIDAndAttributes(sid("S-1-5-21-1-2-3-3000"), [.enabled])])
  return ConditionContext(
    token: token,
    resourceAttributes: [
      ClaimSecurityAttribute(name: "a", values: .string(["x"])),
      ClaimSecurityAttribute(name: "r", values: .string(["z", "Z"])),
    ],
    principalSelf: sid("S-1-5-21-1-2-3-1001"))
}

func inverse(_ r: ConditionResult) -> ConditionResult {
  r == .true ? .false : r == .false ? .true : .unknown
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array("artx".utf8) + Array(UnsafeBufferPointer(start: data, count: size))
  let context = makeContext()
  for deny in [false, true] {
    var ctx = context
    ctx.forDenyACE = deny
    let raw = ConditionalExpression.evaluate(applicationData: bytes, in: ctx)
    guard let expression = try? ConditionalExpression(binary: bytes) else { continue }
    precondition(expression.evaluate(in: ctx) == raw, "validated and raw evaluation differ")
    if let last = bytes.last, last != 0 {
      let negated = ConditionalExpression.evaluate(applicationData: bytes + [0xA2], in: ctx)
      precondition(negated == inverse(raw), "! does not invert \(raw)")
    }
  }
  return 0
}
