import ArgumentParser
import Foundation
import NTSecurity

extension PrivilegeCommand {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "Every privilege Windows defines: LUID, name and display name, one a line.")
    func run() throws {
      let width = Privilege.all.map(\.name.count).max() ?? 0
      for privilege in Privilege.all.sorted(by: { $0.luid < $1.luid }) {
        let name = privilege.name.padding(toLength: width, withPad: " ", startingAt: 0)
        print("\(privilege.luid.lowPart)\t\(name)  \(privilege.displayName)")
      }
    }
  }
}
