/// Punycode (RFC 3492): the Bootstring encoding of Unicode labels in ASCII that IDNA uses
/// after `xn--`. `encode` and `decode` work on one label without the prefix; every overflow,
/// bad digit or out-of-range code point is an error (nil), never a trap.
public enum Punycode {
  static let base = 36
  static let tMin = 1
  static let tMax = 26
  static let skew = 38
  static let damp = 700
  static let initialBias = 72
  static let initialN = 128
  /// Limit for intermediate values: far above any label DNS allows, far below `Int.max`.
  static let limit = Int(Int32.max)

  static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
    var delta = firstTime ? delta / damp : delta / 2
    delta += delta / numPoints
    var k = 0
    while delta > ((base - tMin) * tMax) / 2 {
      delta /= base - tMin
      k += base
    }
    return k + (base - tMin + 1) * delta / (delta + skew)
  }

  static func threshold(_ k: Int, _ bias: Int) -> Int {
    k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias
  }

  static func digit(_ d: Int) -> UInt8 { d < 26 ? UInt8(0x61 + d) : UInt8(0x30 + d - 26) }

  static func value(_ c: UInt8) -> Int? {
    switch c {
    case 0x30...0x39: Int(c) - 0x30 + 26
    case 0x41...0x5A: Int(c) - 0x41
    case 0x61...0x7A: Int(c) - 0x61
    default: nil
    }
  }

  /// The Punycode form of `label` (lower-case digits), or nil on overflow.
  public static func encode(_ label: [Unicode.Scalar]) -> String? {
    let input = label.map { Int($0.value) }
    var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
    let basicCount = output.count
    var handled = basicCount
    if basicCount > 0 { output.append(0x2D) }
    var n = initialN
    var delta = 0
    var bias = initialBias
    while handled < input.count {
      guard let m = input.filter({ $0 >= n }).min() else { return nil }
      guard (m - n) <= (limit - delta) / (handled + 1) else { return nil }
      delta += (m - n) * (handled + 1)
      n = m
      for c in input {
        if c < n {
          delta += 1
          guard delta <= limit else { return nil }
        }
        if c == n {
          var q = delta
          var k = base
          while true {
            let t = threshold(k, bias)
            if q < t { break }
            output.append(digit(t + (q - t) % (base - t)))
            q = (q - t) / (base - t)
            k += base
          }
          output.append(digit(q))
          bias = adapt(delta, handled + 1, handled == basicCount)
          delta = 0
          handled += 1
        }
      }
      delta += 1
      n += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The label a Punycode string encodes, or nil when it is not valid Punycode (a non-basic
  /// character before the delimiter, a bad digit, an overflow, a surrogate or a value beyond
  /// U+10FFFF).
  public static func decode(_ text: String) -> [Unicode.Scalar]? {
    let input = Array(text.utf8)
    let delimiter = input.lastIndex(of: 0x2D) ?? 0
    var output: [Unicode.Scalar] = []
    for c in input[..<delimiter] {
      guard c < 0x80 else { return nil }
      output.append(Unicode.Scalar(c))
    }
    var position = delimiter > 0 ? delimiter + 1 : 0
    var n = initialN
    var i = 0
    var bias = initialBias
    while position < input.count {
      let oldI = i
      var w = 1
      var k = base
      while true {
        guard position < input.count, let d = value(input[position]) else { return nil }
        position += 1
        guard d <= (limit - i) / w else { return nil }
        i += d * w
        let t = threshold(k, bias)
        if d < t { break }
        guard w <= limit / (base - t) else { return nil }
        w *= base - t
        k += base
      }
      let count = output.count + 1
      bias = adapt(i - oldI, count, oldI == 0)
      guard i / count <= limit - n else { return nil }
      n += i / count
      i %= count
      guard n >= 0x80, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
      output.insert(scalar, at: i)
      i += 1
    }
    return output
  }
}
