internal import CGSSAPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Conversions between Swift values and the C library's buffers, OIDs and OID sets. Inputs are
// lent to the library for the duration of one call; outputs are copied and released at once.

/// Copies a library-owned buffer into an array and releases it.
@inline(__always)
func takeBuffer(_ buffer: inout gss_buffer_desc) -> [UInt8] {
  defer {
    var minor: OM_uint32 = 0
    gss_release_buffer(&minor, &buffer)
  }
  guard buffer.length > 0, let value = buffer.value else { return [] }
  return [UInt8](UnsafeRawBufferPointer(start: value, count: buffer.length))
}

/// Copies a library-owned buffer into a string (UTF-8, invalid bytes replaced) and releases it.
/// A trailing NUL is dropped: gss-ntlmssp counts the C string's terminator in display buffers.
func takeString(_ buffer: inout gss_buffer_desc) -> String {
  var bytes = takeBuffer(&buffer)
  while bytes.last == 0 { bytes.removeLast() }
  return String(decoding: bytes, as: UTF8.self)
}

/// Lends `bytes` to the library as a `gss_buffer_t`.
@inline(__always)
func withBuffer<R>(_ bytes: [UInt8], _ body: (gss_buffer_t) -> R) -> R {
  bytes.withUnsafeBytes { raw in
    var desc = gss_buffer_desc(length: raw.count, value: UnsafeMutableRawPointer(mutating: raw.baseAddress))
    return body(&desc)
  }
}

/// Lends `bytes` (or GSS_C_NO_BUFFER for nil) to the library.
func withOptionalBuffer<R>(_ bytes: [UInt8]?, _ body: (gss_buffer_t?) -> R) -> R {
  guard let bytes else { return body(nil) }
  return withBuffer(bytes) { body($0) }
}

/// Lends a string's UTF-8 bytes to the library.
func withBuffer<R>(_ string: String, _ body: (gss_buffer_t) -> R) -> R {
  withBuffer(Array(string.utf8), body)
}

/// Lends an OID (or GSS_C_NO_OID for nil) to the library.
func withOptionalOID<R>(_ oid: GSSAPI.OID?, _ body: (gss_OID?) -> R) -> R {
  guard let oid else { return body(nil) }
  return withOID(oid) { body($0) }
}

/// Lends an OID to the library.
func withOID<R>(_ oid: GSSAPI.OID, _ body: (gss_OID) -> R) -> R {
  oid.bytes.withUnsafeBytes { raw in
    var desc = gss_OID_desc(
      length: OM_uint32(raw.count), elements: UnsafeMutableRawPointer(mutating: raw.baseAddress))
    return body(&desc)
  }
}

/// Lends an OID set (or GSS_C_NO_OID_SET for nil) to the library.
func withOIDSet<R, S: Sequence<GSSAPI.OID>>(_ oids: S?, _ body: (gss_OID_set?) -> R) -> R {
  guard let oids else { return body(nil) }
  let list = Array(oids)
  let total = list.reduce(0) { $0 + $1.bytes.count }
  let storage = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1), alignment: 1)
  let descs = UnsafeMutablePointer<gss_OID_desc>.allocate(capacity: max(list.count, 1))
  defer {
    storage.deallocate()
    descs.deallocate()
  }
  var offset = 0
  for (i, oid) in list.enumerated() {
    oid.bytes.withUnsafeBytes {
      storage.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
    }
    descs[i] = gss_OID_desc(length: OM_uint32(oid.bytes.count), elements: storage.advanced(by: offset))
    offset += oid.bytes.count
  }
  var set = gss_OID_set_desc(count: list.count, elements: descs)
  return body(&set)
}

/// Copies an OID the library owns (static, never freed).
func copyOID(_ oid: gss_OID?) -> GSSAPI.OID? {
  guard let oid else { return nil }
  return copyOID(oid.pointee)
}

func copyOID(_ desc: gss_OID_desc) -> GSSAPI.OID {
  guard desc.length > 0, let elements = desc.elements else { return GSSAPI.OID(bytes: []) }
  return GSSAPI.OID(bytes: [UInt8](UnsafeRawBufferPointer(start: elements, count: Int(desc.length))))
}

/// Copies a library-allocated OID set into an array (in the library's order) and releases it.
func takeOIDList(_ set: inout gss_OID_set?) -> [GSSAPI.OID] {
  guard let s = set else { return [] }
  defer {
    var minor: OM_uint32 = 0
    gss_release_oid_set(&minor, &set)
  }
  return (0..<s.pointee.count).map { copyOID(s.pointee.elements[$0]) }
}

/// Copies a library-allocated OID set and releases it.
func takeOIDSet(_ set: inout gss_OID_set?) -> Set<GSSAPI.OID> {
  Set(takeOIDList(&set))
}

/// Copies a library-allocated buffer set and releases it.
func takeBufferSet(_ set: inout gss_buffer_set_t?) -> [[UInt8]] {
  guard let s = set else { return [] }
  defer {
    var minor: OM_uint32 = 0
    gss_release_buffer_set(&minor, &set)
  }
  return (0..<s.pointee.count).map { i in
    let b = s.pointee.elements[i]
    guard b.length > 0, let value = b.value else { return [] }
    return [UInt8](UnsafeRawBufferPointer(start: value, count: b.length))
  }
}

/// Lends a credential store (`[key: value]`, e.g. "ccache", "keytab", "client_keytab") to the
/// library as a `gss_key_value_set_desc`, or GSS_C_NO_CRED_STORE for nil.
func withCredentialStore<R>(_ store: [String: String]?, _ body: (gss_const_key_value_set_t?) -> R) -> R {
  guard let store else { return body(nil) }
  let pairs = store.sorted { $0.key < $1.key }
  var strings: [UnsafeMutablePointer<CChar>] = []
  defer { strings.forEach { free($0) } }
  var elements: [gss_key_value_element_desc] = []
  for (key, value) in pairs {
    let k = strdup(key)!
    let v = strdup(value)!
    strings.append(k)
    strings.append(v)
    elements.append(gss_key_value_element_desc(key: k, value: v))
  }
  return elements.withUnsafeMutableBufferPointer { buffer in
    var set = gss_key_value_set_desc(count: OM_uint32(buffer.count), elements: buffer.baseAddress)
    return body(&set)
  }
}

/// GSS_C_INDEFINITE ⇄ nil.
@inline(__always)
func lifetimeIn(_ seconds: UInt32?) -> OM_uint32 { seconds ?? GSSAPI.indefinite }
@inline(__always)
func lifetimeOut(_ seconds: OM_uint32) -> UInt32? { seconds == GSSAPI.indefinite ? nil : seconds }
