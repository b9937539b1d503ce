/// An `Encoder` whose output is ``JSONWriter`` text with the keys in the order `encode(to:)`
/// writes them (`JSONEncoder` keeps no order; the tools' documented outputs fix one).
///
///     let line = try JSONWriterEncoder.text(token, .spaced)
package enum JSONWriterEncoder {
  /// The JSON text of `value`.
  package static func text(_ value: some Encodable, _ layout: JSONWriter.Layout) throws -> String {
    let root = Slot()
    try Tree(slot: root, codingPath: []).encode(value)
    var writer = JSONWriter(layout)
    root.write(to: &writer)
    return writer.text
  }

  /// One value of the tree being built; containers fill theirs after they have been handed out.
  final class Slot {
    enum Value {
      case null, string(String), literal(String), array([Slot]), object([(String, Slot)])
    }
    var value = Value.null

    func write(to writer: inout JSONWriter) {
      switch value {
      case .null: writer.string(nil)
      case .string(let text): writer.string(text)
      case .literal(let text): writer.literal(text)
      case .array(let items):
        writer.beginArray()
        for item in items { item.write(to: &writer) }
        writer.endArray()
      case .object(let members):
        writer.beginObject()
        for (key, item) in members {
          writer.key(key)
          item.write(to: &writer)
        }
        writer.endObject()
      }
    }

    func append(_ key: String?) -> Slot {
      let slot = Slot()
      switch (value, key) {
      case (.object(let members), .some(let key)): value = .object(members + [(key, slot)])
      case (.array(let items), nil): value = .array(items + [slot])
      default: value = key.map { .object([($0, slot)]) } ?? .array([slot])
      }
      return slot
    }
  }

  /// The encoder, and the single-value container it is for every slot.
  struct Tree: Encoder, SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      if case .object = slot.value {} else { slot.value = .object([]) }
      return KeyedEncodingContainer(Keyed(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if case .array = slot.value {} else { slot.value = .array([]) }
      return Unkeyed(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { slot.value = .null }

    func encode<T: Encodable>(_ value: T) throws {
      switch value {
      case let text as String: slot.value = .string(text)
      case let flag as Bool: slot.value = .literal(flag.description)
      case let number as any BinaryInteger: slot.value = .literal("\(number)")
      case let number as Double: slot.value = .literal(number.description)
      case let number as Float: slot.value = .literal(number.description)
      default: try value.encode(to: self)
      }
    }
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    func tree(_ key: Key) -> Tree { Tree(slot: slot.append(key.stringValue), codingPath: codingPath + [key]) }
    func encodeNil(forKey key: Key) { tree(key).encodeNil() }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try tree(key).encode(value) }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
      -> KeyedEncodingContainer<NestedKey>
    { tree(key).container(keyedBy: keyType) }
    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      tree(key).unkeyedContainer()
    }
    func superEncoder() -> any Encoder { Tree(slot: slot.append("super"), codingPath: codingPath) }
    func superEncoder(forKey key: Key) -> any Encoder { tree(key) }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { if case .array(let items) = slot.value { items.count } else { 0 } }

    func tree() -> Tree { Tree(slot: slot.append(nil), codingPath: codingPath) }
    func encodeNil() { tree().encodeNil() }
    func encode<T: Encodable>(_ value: T) throws { try tree().encode(value) }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    { tree().container(keyedBy: keyType) }
    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { tree().unkeyedContainer() }
    func superEncoder() -> any Encoder { tree() }
  }
}
