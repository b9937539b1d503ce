import ArgumentParser
import NTSecIO
import NTSecurity

extension TokenCommand {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Read a token JSON file and print it with every default filled in.")
    @Argument(help: "The token JSON file.") var file: String

    func run() throws {
      print(try loadToken(file).jsonLine)
    }
  }
}
