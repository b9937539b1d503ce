// swift-tools-version: 6.1
// Benchmarks for NTSecurity, using ordo-one/benchmark. Run with:
//   cd Benchmarks && swift package benchmark
// Kept as a separate package so the library itself has no benchmark dependency.
import PackageDescription

let package = Package(
  name: "NTSecurityBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "NTSecurity", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "SDDLBenchmarks",
      dependencies: [
        .product(name: "NTSecurity", package: "NTSecurity"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/SDDLBenchmarks",
      plugins: [
        .plugin(name: "BenchmarkPlugin", package: "benchmark")
      ]
    ),
    .executableTarget(
      name: "GSSAPIBenchmarks",
      dependencies: [
        .product(name: "GSSAPI", package: "NTSecurity"),
        .product(name: "NTSecurityTesting", package: "NTSecurity"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/GSSAPIBenchmarks",
      plugins: [
        .plugin(name: "BenchmarkPlugin", package: "benchmark")
      ]
    ),
    .executableTarget(
      name: "SSPIBenchmarks",
      dependencies: [
        .product(name: "SSPI", package: "NTSecurity"),
        .product(name: "NTSecurityTesting", package: "NTSecurity"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/SSPIBenchmarks",
      plugins: [
        .plugin(name: "BenchmarkPlugin", package: "benchmark")
      ]
    ),
    .executableTarget(
      name: "AccessCheckBenchmarks",
      dependencies: [
        .product(name: "NTSecurity", package: "NTSecurity"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/AccessCheckBenchmarks",
      plugins: [
        .plugin(name: "BenchmarkPlugin", package: "benchmark")
      ]
    ),
    .executableTarget(
      name: "CredentialBenchmarks",
      dependencies: [
        .product(name: "CredentialManager", package: "NTSecurity"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/CredentialBenchmarks",
      plugins: [
        .plugin(name: "BenchmarkPlugin", package: "benchmark")
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
