// swift-tools-version: 6.1
// libFuzzer targets for every parser of outside input. Build and run them with `make fuzz`
// (scripts/fuzz); they need `--sanitize fuzzer`, so they live apart from the main package.
import PackageDescription

let fuzzTargets = [
  "FuzzSDDL",
  "FuzzSecurityDescriptor",
  "FuzzConditionalExpression",
  "FuzzConditionEvaluation",
  "FuzzInheritance",
  "FuzzAccessCheck",
  "FuzzPAC",
  "FuzzRestriction",
]
let credentialFuzzTargets = ["FuzzCredentialMarshal", "FuzzCredentialHost"]
let sspiFuzzTargets = ["FuzzSSPI"]
let directoryFuzzTargets = ["FuzzNetlogon", "FuzzRPC"]
let objectSecurityFuzzTargets = ["FuzzNTACL"]
let httpFuzzTargets = ["FuzzNegotiateHeader"]

let package = Package(
  name: "NTSecurityFuzz",
  products: (fuzzTargets + credentialFuzzTargets + sspiFuzzTargets + directoryFuzzTargets
    + objectSecurityFuzzTargets + httpFuzzTargets).map {
      .executable(name: $0, targets: [$0])
    },
  dependencies: [.package(name: "NTSecurity", path: "..")],
  targets: fuzzTargets.map {
    .executableTarget(
      name: $0, dependencies: [.product(name: "NTSecurity", package: "NTSecurity")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
  }
    + credentialFuzzTargets.map {
      .executableTarget(
        name: $0, dependencies: [.product(name: "CredentialManager", package: "NTSecurity")],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
    + sspiFuzzTargets.map {
      .executableTarget(
        name: $0, dependencies: [.product(name: "SSPI", package: "NTSecurity")],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
    + directoryFuzzTargets.map {
      .executableTarget(
        name: $0, dependencies: [.product(name: "DirectoryServices", package: "NTSecurity")],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
    + objectSecurityFuzzTargets.map {
      .executableTarget(
        name: $0,
        dependencies: [
          .product(name: "ObjectSecurity", package: "NTSecurity"),
          .product(name: "NTSecurity", package: "NTSecurity"),
        ],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
    + httpFuzzTargets.map {
      .executableTarget(
        name: $0, dependencies: [.product(name: "HTTPNegotiate", package: "NTSecurity")],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    },
  swiftLanguageModes: [.v6]
)
