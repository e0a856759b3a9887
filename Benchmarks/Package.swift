// swift-tools-version: 6.2
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the clone is called.
let rotor = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// In-process benchmarks of Rotor (ordo-one/benchmark), kept apart from the main package so that neither its build
// nor CI ever compiles them. Run from this folder: `swift package benchmark` (see ../README.md, "Benchmarks").
let package = Package(
    name: "RotorBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        // Only the malloc interposer trait: the default set also pulls swift-runtime-interposer, which is not
        // mirrored here (and only counts ARC traffic, which these benchmarks do not report).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "RotorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RotorCore", package: rotor),
                .product(name: "RotorSQLite", package: rotor),
                .product(name: "RotorJWT", package: rotor),
                .product(name: "RotorVerifier", package: rotor),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RotorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Database size over simulated months of login / refresh / logout churn with hourly pruning.
        .executableTarget(
            name: "StorageChurn",
            dependencies: [
                .product(name: "RotorCore", package: rotor),
                .product(name: "RotorSQLite", package: rotor),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/StorageChurn"
        ),
    ]
)
