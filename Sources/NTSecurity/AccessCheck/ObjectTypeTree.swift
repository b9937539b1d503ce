/// The working state of an object type list during one discretionary pass: granted and denied
/// rights per node. Grants flow down to a node's descendants, and up to a parent once all its
/// children hold them; denies flow down to the descendants and up to every ancestor. A right
/// granted to a node can no longer be denied there, and the other way round.
struct ObjectTypeTree {
  let entries: [ObjectTypeEntry]
  /// The parent of each node (-1 for the root).
  let parents: [Int]
  /// The index one past each node's subtree.
  let ends: [Int]
  var granted: [AccessMask]
  var denied: [AccessMask]

  init(_ entries: [ObjectTypeEntry]) {
    self.entries = entries
    var parents = [Int](repeating: -1, count: entries.count)
    var ends = [Int](repeating: entries.count, count: entries.count)
    var stack: [Int] = []
    for (i, entry) in entries.enumerated() {
      while let last = stack.last, entries[last].level >= entry.level {
        ends[last] = i
        stack.removeLast()
      }
      parents[i] = stack.last ?? -1
      stack.append(i)
    }
    self.parents = parents
    self.ends = ends
    granted = [AccessMask](repeating: [], count: entries.count)
    denied = granted
  }

  /// Checks the rules NtAccessCheckByType applies to the list: one level-0 element first, each
  /// level at most one deeper than the previous, no level above 4. Throws `ERROR_INVALID_PARAMETER`.
  static func validate(_ entries: [ObjectTypeEntry]) throws(NTSecurityError) {
    guard let first = entries.first else { return }
    guard first.level == 0 else {
      throw NTSecurityError(.invalidParameter, "the first object type must be at level 0")
    }
    var previous: UInt16 = 0
    for (i, entry) in entries.enumerated().dropFirst() {
      guard entry.level != 0 else {
        throw NTSecurityError(.invalidParameter, "object type \(i) is a second element at level 0")
      }
      guard entry.level <= 4, entry.level <= previous + 1 else {
        throw NTSecurityError(
          .invalidParameter, "object type \(i) at level \(entry.level) after level \(previous)")
      }
      previous = entry.level
    }
  }

  /// The node an object ACE's ObjectType names: the root when the ACE names none, nil when the
  /// GUID is not in the list (the ACE is then ignored).
  func node(for objectType: GUID?) -> Int? {
    guard let objectType else { return 0 }
    return entries.firstIndex { $0.objectType == objectType }
  }

  mutating func grant(_ node: Int, _ mask: AccessMask) {
    for k in node..<ends[node] { granted[k].formUnion(mask.subtracting(denied[k])) }
    var child = node
    while parents[child] >= 0 {
      let parent = parents[child]
      var common = MandatoryAccess.unrestricted
      var k = parent + 1
      while k < ends[parent] {
        common.formIntersection(granted[k])
        k = ends[k]
      }
      granted[parent].formUnion(common.subtracting(denied[parent]))
      child = parent
    }
  }

  mutating func deny(_ node: Int, _ mask: AccessMask) {
    // What the node was not granted yet is denied there and below; the same rights are then
    // denied to every ancestor (which cannot hold them: grants flow down).
    let newlyDenied = mask.subtracting(granted[node])
    guard !newlyDenied.isEmpty else { return }
    for k in node..<ends[node] { denied[k].formUnion(mask.subtracting(granted[k])) }
    var child = node
    while parents[child] >= 0 {
      let parent = parents[child]
      denied[parent].formUnion(newlyDenied.subtracting(granted[parent]))
      child = parent
    }
  }

  /// Grants `mask` everywhere (NULL DACL).
  mutating func grantAll(_ mask: AccessMask) {
    for k in granted.indices { granted[k].formUnion(mask) }
  }
}
