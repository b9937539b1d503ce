import ArgumentParser
import Foundation
import NTSecIO
import NTSecurity

extension PrivilegeCommand {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "Every privilege Windows defines: LUID, name and display name, one a line.")
    @Flag(help: "Print a JSON array of {\"luid\", \"name\", \"display_name\"} objects.") var json = false

    func run() throws {
      let privileges = Privilege.all.sorted(by: { $0.luid < $1.luid })
      if json {
        var w = JSONWriter(.compact)
        w.beginArray()
        for privilege in privileges {
          w.beginObject()
          w.field("luid", literal: privilege.luid.lowPart)
          w.field("name", privilege.name)
          w.field("display_name", privilege.displayName)
          w.endObject()
        }
        w.endArray()
        print(w.text)
        return
      }
      let width = Privilege.all.map(\.name.count).max() ?? 0
      for privilege in privileges {
        let name = privilege.name.padding(toLength: width, withPad: " ", startingAt: 0)
        print("\(privilege.luid.lowPart)\t\(name)  \(privilege.displayName)")
      }
    }
  }
}
