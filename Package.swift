// swift-tools-version: 6.2
import PackageDescription

/// Settings every Rotor target shares: Swift 6 mode with strict concurrency (the default of tools 6.2),
/// explicit `any`, and imports that must be spelled out where they are used.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "rotor",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .executable(name: "rotor", targets: ["rotor"]),
        .library(name: "RotorProtocol", targets: ["RotorProtocol"]),
        .library(name: "RotorJWT", targets: ["RotorJWT"]),
        .library(name: "RotorCore", targets: ["RotorCore"]),
        .library(name: "RotorSQLite", targets: ["RotorSQLite"]),
        .library(name: "RotorPostgres", targets: ["RotorPostgres"]),
        .library(name: "RotorAPI", targets: ["RotorAPI"]),
        .library(name: "RotorServer", targets: ["RotorServer"]),
        .library(name: "RotorVerifier", targets: ["RotorVerifier"]),
        .library(name: "RotorVerifierHummingbird", targets: ["RotorVerifierHummingbird"]),
        .library(name: "RotorClient", targets: ["RotorClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Wire contract shared by server and clients: DTOs and error codes, Foundation only.
        .target(name: "RotorProtocol", swiftSettings: swiftSettings),
        // The access-token definition (RFC 9068 claims) and the rules every verifier applies.
        .target(
            name: "RotorJWT",
            dependencies: [
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The token engine: sessions, rotation, reuse detection, keys, accounts. No HTTP, no SQL.
        .target(
            name: "RotorCore",
            dependencies: [
                "RotorJWT",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded store: SQLite through GRDB (WAL, synchronous=FULL, BEGIN IMMEDIATE).
        .target(
            name: "RotorSQLite",
            dependencies: ["RotorCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The shared store: PostgreSQL through postgres-nio, for many instances on one database.
        .target(
            name: "RotorPostgres",
            dependencies: [
                "RotorCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API on Hummingbird 2: routes, request context, the one error mapping. The account page, the
        // sign-in pages (Mustache templates) and the OpenAPI document are files, compiled into the binary (no file to
        // ship next to it).
        .target(
            name: "RotorAPI",
            dependencies: [
                "RotorCore", "RotorProtocol", "RotorJWT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [
                .embedInCode("Resources/account/index.html"),
                .embedInCode("Resources/account/app.js"),
                .embedInCode("Resources/account/style.css"),
                .embedInCode("Resources/openapi.json"),
                .embedInCode("Resources/pages/signin.mustache"),
                .embedInCode("Resources/pages/error.mustache"),
                .embedInCode("Resources/pages/consent.mustache"),
                .embedInCode("Resources/pages/logout.mustache"),
                .embedInCode("Resources/pages/signed-out.mustache"),
                .embedInCode("Resources/pages/device.mustache"),
                .embedInCode("Resources/pages/device-confirm.mustache"),
                .embedInCode("Resources/pages/device-done.mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // glibc's malloc tuning for `rotor serve` (mallopt is not in Swift's Glibc module).
        .target(name: "CRotorMalloc"),
        // The composition root: reads configuration, opens the store, builds the application.
        .target(
            name: "RotorServer",
            dependencies: [
                "RotorAPI", "RotorSQLite", "RotorPostgres", "RotorCore", "RotorJWT", "CRotorMalloc",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The thin executable: parses the command line and hands over to RotorServer.
        .executableTarget(
            name: "rotor",
            dependencies: [
                "RotorServer", "RotorAPI", "RotorCore", "RotorProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        // For resource services: verifies Rotor's access tokens (JWKS, revocation feed, DPoP) with no database.
        .target(
            name: "RotorVerifier",
            dependencies: [
                "RotorJWT",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird middleware over RotorVerifier: the verified caller in the request context, role and scope checks.
        .target(
            name: "RotorVerifierHummingbird",
            dependencies: [
                "RotorVerifier", "RotorJWT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // For Swift apps (Linux and Apple platforms): the session with Rotor, kept alive; no NIO.
        .target(
            name: "RotorClient",
            dependencies: [
                "RotorProtocol", "RotorJWT",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The example: a resource service protected by Rotor, and a command-line client of both.
        .executableTarget(
            name: "ExampleResourceService",
            dependencies: [
                "RotorVerifier", "RotorVerifierHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Examples/ResourceService",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ExampleClient",
            dependencies: ["RotorClient"],
            path: "Examples/Client",
            swiftSettings: swiftSettings
        ),
        // A command-line tool that signs in with the device flow.
        .executableTarget(
            name: "ExampleDeviceLogin",
            dependencies: ["RotorClient", "RotorProtocol"],
            path: "Examples/DeviceLogin",
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets: temporary folders, a manual clock, an in-process server and an
        // HTTP client over loopback, the built `rotor` binary as a child process.
        .target(
            name: "RotorTestSupport",
            dependencies: [
                "RotorServer", "RotorCore", "RotorSQLite", "RotorPostgres", "RotorProtocol", "RotorJWT",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RotorTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RotorCoreTests",
            dependencies: ["RotorCore", "RotorSQLite", "RotorPostgres", "RotorJWT", "RotorTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RotorLibrariesTests",
            dependencies: [
                "RotorVerifier", "RotorVerifierHummingbird", "RotorClient", "RotorJWT", "RotorProtocol",
                "RotorTestSupport", "RotorServer", "RotorCore", "RotorSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RotorAPITests",
            dependencies: [
                "RotorServer", "RotorAPI", "RotorCore", "RotorProtocol", "RotorSQLite", "RotorJWT", "RotorTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
