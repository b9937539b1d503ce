/// The one JSON writer of the tools: values appended to ``text`` as they come, commas placed for
/// the caller, in one of the two layouts the tools' documented outputs fix.
///
///     var w = JSONWriter(.compact)
///     w.beginObject()
///     w.field("sid", "S-1-5-18")
///     w.field("needs_domain", literal: false)
///     w.endObject()  // w.text == #"{"sid":"S-1-5-18","needs_domain":false}"#
package struct JSONWriter {
  /// `compact`: `{"a":1,"b":[2,3]}`; `spaced`: `{"a": 1, "b": [2, 3]}`.
  package enum Layout { case compact, spaced }

  package private(set) var text = ""
  private let comma: String
  private let colon: String
  private var needsComma = false

  package init(_ layout: Layout) {
    (comma, colon) = layout == .compact ? (",", ":") : (", ", ": ")
  }

  package mutating func beginObject() { open("{") }
  package mutating func endObject() { close("}") }
  package mutating func beginArray() { open("[") }
  package mutating func endArray() { close("]") }

  /// A member's name; its value (a scalar, or an object or array begun) comes next.
  package mutating func key(_ name: String) {
    separate()
    text += jsonString(name)
    text += colon
    needsComma = false
  }

  /// A string, or `null` for nil.
  package mutating func string(_ value: String?) {
    separate()
    text += value.map(jsonString) ?? "null"
    needsComma = true
  }

  /// A number or a boolean, as its description.
  package mutating func literal(_ value: some CustomStringConvertible) {
    separate()
    text += value.description
    needsComma = true
  }

  package mutating func field(_ name: String, _ value: String?) {
    key(name)
    string(value)
  }

  package mutating func field(_ name: String, literal value: some CustomStringConvertible) {
    key(name)
    literal(value)
  }

  /// A member whose value is an array of strings.
  package mutating func field(_ name: String, strings: [String]) {
    key(name)
    beginArray()
    for s in strings { string(s) }
    endArray()
  }

  private mutating func open(_ bracket: String) {
    separate()
    text += bracket
    needsComma = false
  }

  private mutating func close(_ bracket: String) {
    text += bracket
    needsComma = true
  }

  private mutating func separate() {
    if needsComma { text += comma }
  }
}

/// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
func jsonString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case _ where scalar.value < 0x20:
      out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}
