import NTSecurity

/// Names for the GUIDs of object ACEs: the standard Active Directory schema's classes and
/// attributes, its property sets, validated writes and control access rights (the generated
/// ``table``; see scripts/generate-ad-schema-names).
enum ADSchemaNames {
  /// What a GUID names in the schema.
  enum Kind: String {
    case `class`, attribute
    case propertySet = "property-set"
    case validatedWrite = "validated-write"
    case extendedRight = "extended-right"
  }

  /// Every name a GUID has (a validated write shares its GUID with the attribute it writes).
  static let byGUID: [GUID: [(kind: Kind, name: String)]] = {
    var names: [GUID: [(kind: Kind, name: String)]] = [:]
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: "\t")
      guard fields.count == 3, let kind = Kind(rawValue: String(fields[0])),
        let guid = GUID(String(fields[1]))
      else { continue }
      names[guid, default: []].append((kind, String(fields[2])))
    }
    return names
  }()

  /// The name an object ACE's ObjectType GUID has for the rights `mask` holds: a control access
  /// right with CONTROL_ACCESS, a validated write with SELF, a property or property set with
  /// READ_PROPERTY/WRITE_PROPERTY, a class with CREATE_CHILD/DELETE_CHILD; "kind name", or nil
  /// for a GUID not in the standard schema.
  static func objectType(_ guid: GUID, mask: AccessMask) -> String? {
    guard let names = byGUID[guid] else { return nil }
    let m = mask.rawValue
    var preferred: [Kind] = []
    if m & 0x100 != 0 { preferred.append(.extendedRight) }
    if m & 0x8 != 0 { preferred.append(.validatedWrite) }
    if m & 0x30 != 0 { preferred += [.attribute, .propertySet] }
    if m & 0x3 != 0 { preferred.append(.class) }
    let pick = preferred.lazy.compactMap { kind in names.first { $0.kind == kind } }.first ?? names[0]
    return "\(pick.kind.rawValue) \(pick.name)"
  }

  /// The class an InheritedObjectType GUID names, as "class name".
  static func inheritedObjectType(_ guid: GUID) -> String? {
    byGUID[guid]?.first { $0.kind == .class }.map { "class \($0.name)" }
  }
}
