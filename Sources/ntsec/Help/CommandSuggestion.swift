import ArgumentParser

/// "Did you mean …?" for a mistyped subcommand, in `ntsec WORD …` and `ntsec help WORD …`.
enum CommandSuggestion {
  /// The hint for the first word of `arguments` that names no command where a command is expected,
  /// or nil when every word before the first command without subcommands names one.
  static func hint(arguments: [String]) -> String? {
    var command: ParsableCommand.Type = NTSec.self
    var path: [String] = []
    var words = arguments.filter { !$0.hasPrefix("-") }[...]
    if words.first == "help" { words = words.dropFirst() }
    for word in words {
      let subcommands = command.configuration.subcommands
      guard !subcommands.isEmpty else { return nil }
      if let next = subcommands.first(where: { $0._commandName == word }) {
        command = next
        path.append(word)
        continue
      }
      let names = subcommands.map { $0._commandName }
      guard let nearest = names.min(by: { distance($0, word) < distance($1, word) }),
        distance(nearest, word) <= max(2, word.count / 2)
      else {
        return "'\(word)' is not a command; the commands are: \(names.joined(separator: ", "))."
      }
      return "Did you mean '\((["ntsec"] + path + [nearest]).joined(separator: " "))'?"
    }
    return nil
  }

  /// The Levenshtein distance between two words (case-insensitive).
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return a.isEmpty ? b.count : row[b.count]
  }
}
