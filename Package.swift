// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "NTSecurity",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "NTSecurity", targets: ["NTSecurity"]),
    .executable(name: "ntsec", targets: ["ntsec"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .target(name: "NTSecurity"),
    .executableTarget(
      name: "ntsec",
      dependencies: [
        "NTSecurity",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NTSecurityTests", dependencies: ["NTSecurity"]),
  ],
  swiftLanguageModes: [.v6]
)
