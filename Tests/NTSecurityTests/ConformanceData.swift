import Foundation

/// Loads the Windows-recorded vectors from ../shared/conformance (or NTSEC_CONFORMANCE_DIR).
enum ConformanceData {
  /// The conformance directory, or nil when it is absent.
  static var directory: URL? {
    let env = ProcessInfo.processInfo.environment["NTSEC_CONFORMANCE_DIR"]
    let url =
      env.map { URL(fileURLWithPath: $0) }
      ?? URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/conformance")
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
      ? url.standardizedFileURL : nil
  }

  struct Vector {
    let file: String
    let sddl: String
    let bytes: [UInt8]
  }

  /// Every vector of windows-sddl, file by file, in a stable order.
  static func windowsSDDL() throws -> [Vector] {
    guard let dir = directory?.appendingPathComponent("windows-sddl") else { return [] }
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    var out = [Vector]()
    for name in names where name.hasSuffix(".json") || name.hasSuffix(".json.gz") {
      let url = dir.appendingPathComponent(name)
      let data = name.hasSuffix(".gz") ? try gunzip(url) : try Data(contentsOf: url)
      guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [Int]] else {
        throw CocoaError(.fileReadCorruptFile)
      }
      for key in object.keys.sorted() {
        out.append(Vector(file: name, sddl: key, bytes: object[key]!.map { UInt8($0) }))
      }
    }
    return out
  }

  static func gunzip(_ url: URL) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-dc", url.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return data
  }

  /// The domain SID the vectors were recorded with.
  static let domain = "S-1-5-21-2457507606-2709100691-398136650"
}

extension Array where Element == UInt8 {
  var hex: String { map { String(format: "%02x", $0) }.joined() }
}
