import ArgumentParser
import Foundation
import NTSecurity
import SSPI

#if canImport(Glibc)
  import Glibc
#endif

extension SSPICommand {
  struct Packages: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "packages",
      abstract: "EnumerateSecurityPackages, printed as PowerShell's Get-SecurityPackage prints it.")

    func run() {
      for (i, p) in SSPI.enumerateSecurityPackages().enumerated() {
        if i > 0 { print() }
        print("Name         : \(p.name)")
        print("Comment      : \(p.comment)")
        print(
          "Capabilities : \(p.capabilities) (0x\(String(p.capabilities.rawValue, radix: 16, uppercase: true)))"
        )
        print("Version      : \(p.version)")
        print("RpcId        : \(p.rpcID)")
        print("MaxToken     : \(p.maxToken)")
      }
    }
  }
}
