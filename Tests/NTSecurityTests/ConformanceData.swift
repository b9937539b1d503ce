import Foundation

/// Loads the Windows-recorded vectors from ../shared/conformance (or NTSEC_CONFORMANCE_DIR).
enum ConformanceData {
  /// The conformance directory, or nil when it is absent. `$NTSEC_CONFORMANCE_DIR` names the
  /// conformance folder; naming its `windows-sddl` folder instead works too.
  static var directory: URL? {
    var url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/conformance")
    if let env = ProcessInfo.processInfo.environment["NTSEC_CONFORMANCE_DIR"], !env.isEmpty {
      url = URL(fileURLWithPath: env)
    }
    url = url.standardizedFileURL
    func isDirectory(_ url: URL) -> Bool {
      var isDir: ObjCBool = false
      return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
    guard isDirectory(url) else { return nil }
    if url.lastPathComponent == "windows-sddl", !isDirectory(url.appendingPathComponent("windows-sddl")) {
      return url.deletingLastPathComponent()
    }
    return url
  }

  struct Vector {
    let file: String
    let sddl: String
    let bytes: [UInt8]
  }

  /// A vector file that was asked for by name is not there.
  struct MissingFile: Error, CustomStringConvertible {
    let path: String
    var description: String { "conformance vectors missing: \(path) (set NTSEC_CONFORMANCE_DIR)" }
  }

  /// The vectors of windows-sddl, file by file, in a stable order: every file, or only `files`
  /// (in the order given; each must exist).
  static func windowsSDDL(files: [String]? = nil) throws -> [Vector] {
    guard let dir = directory?.appendingPathComponent("windows-sddl") else { return [] }
    let names =
      try files
      ?? FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().filter {
        $0.hasSuffix(".json") || $0.hasSuffix(".json.gz")
      }
    var out = [Vector]()
    for name in names {
      let url = dir.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFile(path: url.path) }
      let data = name.hasSuffix(".gz") ? try gunzip(url) : try Data(contentsOf: url)
      guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [Int]] else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
      }
      for key in object.keys.sorted() {
        out.append(Vector(file: name, sddl: key, bytes: object[key]!.map { UInt8($0) }))
      }
    }
    return out
  }

  /// Inflates with `/bin/gzip` (Foundation on Linux cannot).
  static func gunzip(_ url: URL) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-dc", url.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    return data
  }

  /// The domain SID the vectors were recorded with.
  static let domain = "S-1-5-21-2457507606-2709100691-398136650"
}

extension Array where Element == UInt8 {
  var hex: String { map { String(format: "%02x", $0) }.joined() }
}
