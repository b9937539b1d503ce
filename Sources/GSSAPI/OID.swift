/// extension of the GSSAPI namespace: object identifiers.
extension GSSAPI {
  /// An ASN.1 object identifier as GSS-API uses it: the DER contents octets (no tag, no length).
  /// Hashable, so sets of OIDs compare as python-gssapi's do.
  public struct OID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The BER/DER contents octets (python-gssapi's `OID.__bytes__`).
    public let bytes: [UInt8]

    /// An OID from its contents octets (python-gssapi's `OID(elements=...)`). Not validated: the
    /// library receives exactly these bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// An OID from its arcs (python-gssapi's `OID.from_int_seq`). Throws for fewer than two arcs,
    /// a first arc above 2, or a second arc above 39 under arcs 0 and 1.
    public init(components: [UInt64]) throws(GSSError) {
      guard components.count >= 2 else {
        throw GSSError(.badMechanism, "OID \(components): needs at least two arcs")
      }
      let (first, second) = (components[0], components[1])
      guard first <= 2, first == 2 || second < 40 else {
        throw GSSError(.badMechanism, "OID \(components): arcs \(first).\(second) are out of range")
      }
      guard second <= UInt64.max - 80 else {
        throw GSSError(.badMechanism, "OID \(components): arc 2 is too large")
      }
      var out: [UInt8] = []
      for arc in [first * 40 + second] + components.dropFirst(2) {
        var chunk: [UInt8] = [UInt8(arc & 0x7f)]
        var rest = arc >> 7
        while rest > 0 {
          chunk.append(UInt8(rest & 0x7f) | 0x80)
          rest >>= 7
        }
        out += chunk.reversed()
      }
      bytes = out
    }

    /// An OID from its dotted form, e.g. "1.2.840.113554.1.2.2" (python-gssapi's
    /// `OID.from_int_seq("1.2.3")`). The error names the first arc that is not a number.
    public init(dotted: String) throws(GSSError) {
      var arcs: [UInt64] = []
      for (index, part) in dotted.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
        guard let arc = UInt64(part) else {
          throw GSSError(.badMechanism, "OID \"\(dotted)\": arc \(index + 1) (\"\(part)\") is not a number")
        }
        arcs.append(arc)
      }
      try self.init(components: arcs)
    }

    /// The arcs, or nil when the bytes are not a valid encoding.
    public var components: [UInt64]? {
      var arcs: [UInt64] = []
      var value: UInt64 = 0
      var inArc = false
      for byte in bytes {
        if !inArc && byte == 0x80 { return nil }  // non-minimal encoding
        guard value >> 57 == 0 else { return nil }
        value = value << 7 | UInt64(byte & 0x7f)
        inArc = byte & 0x80 != 0
        if !inArc {
          if arcs.isEmpty {
            let first: UInt64 = value < 40 ? 0 : value < 80 ? 1 : 2
            arcs += [first, value - first * 40]
          } else {
            arcs.append(value)
          }
          value = 0
        }
      }
      return inArc || arcs.isEmpty ? nil : arcs
    }

    /// The dotted form, e.g. "1.2.840.113554.1.2.2" (python-gssapi's `OID.dotted_form`); for bytes
    /// that do not decode, their hex in braces.
    public var dotted: String {
      guard let arcs = components else {
        return "{" + bytes.map { String($0, radix: 16) }.joined(separator: " ") + "}"
      }
      return arcs.map(String.init).joined(separator: ".")
    }

    public var description: String { dotted }

    /// A short name for the well-known mechanisms and name types, else the dotted form.
    public var name: String { OID.knownNames[self] ?? dotted }

    public static func < (a: OID, b: OID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    static func known(_ dotted: String) -> OID {
      do { return try OID(dotted: dotted) } catch { fatalError("built-in OID \(dotted): \(error)") }
    }
  }
}
