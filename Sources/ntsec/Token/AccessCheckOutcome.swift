import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

/// What `access-check` prints for one check.
struct AccessCheckOutcome {
  let status: WindowsError
  let result: AccessCheckResult?
  /// The message of a failed call.
  let message: String?
  /// The per-right explanation, when asked for.
  var explanation: AccessExplanationFormat? = nil

  var granted: AccessMask { result?.granted ?? [] }

  /// `{"granted": "0x…", "status": "ERROR_…"}`, with `"results"` for object types; `details`
  /// adds the privileges used and the audit events when there are any.
  func json(details: Bool = false) -> String {
    var w = JSONWriter(.spaced)
    w.beginObject()
    w.field("granted", granted.description)
    w.field("status", status.name)
    if let result, !result.objectTypes.isEmpty {
      w.key("results")
      w.beginArray()
      for entry in result.objectTypes {
        w.beginObject()
        w.field("granted", entry.granted.description)
        w.field("status", entry.status.name)
        w.endObject()
      }
      w.endArray()
    }
    if details, let result {
      if !result.privilegesUsed.isEmpty {
        w.field("privileges_used", strings: result.privilegesUsed.map(privilegeName))
      }
      if !result.auditEvents.isEmpty {
        w.key("audit")
        w.beginArray()
        for event in result.auditEvents {
          w.beginObject()
          w.field("outcome", event.outcome == .success ? "success" : "failure")
          w.field("ace", literal: event.aceIndex)
          w.field("sid", event.sid.description)
          w.field("granted", event.accessMask.description)
          w.endObject()
        }
        w.endArray()
      }
    }
    if details, let message { w.field("message", message) }
    explanation?.write(to: &w)
    w.endObject()
    return w.text
  }

  /// ``json(details:)`` without details, appended to `out`: written straight into the buffer
  /// when there are no object type results (the common batch line), else through the writer.
  func appendJSON(to out: inout OutputBuffer) {
    guard result?.objectTypes.isEmpty ?? true, explanation == nil else { return out.append(json()) }
    // The same bytes JSONWriter(.spaced) makes: neither value holds a character JSON escapes.
    out.append(#"{"granted": ""#)
    out.append(granted.description)
    out.append(#"", "status": ""#)
    out.append(status.name)
    out.append(#""}"#)
  }

  var text: String {
    let named = explanation.map { " (" + $0.names.names(granted).joined(separator: ", ") + ")" } ?? ""
    var lines = [
      "status: \(status.name)" + (message.map { " (\($0))" } ?? ""),
      "granted: \(granted)" + (granted.isEmpty ? "" : named),
    ]
    if let result {
      if !result.privilegesUsed.isEmpty {
        lines.append("privileges used: " + result.privilegesUsed.map(privilegeName).joined(separator: ", "))
      }
      for (i, node) in result.objectTypes.enumerated() {
        lines.append(
          "object type \(i) (level \(node.level)) \(node.objectType): \(node.status.name) \(node.granted)")
      }
      for event in result.auditEvents {
        lines.append(
          "audit \(event.outcome == .success ? "success" : "failure"): ACE \(event.aceIndex) \(event.sid) \(event.accessMask)"
        )
      }
    }
    if let explanation { lines += explanation.lines }
    return lines.joined(separator: "\n")
  }

  private func privilegeName(_ entry: LUIDAndAttributes) -> String {
    entry.privilege?.name ?? "\(entry.luid)"
  }
}
