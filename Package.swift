// swift-tools-version:6.1
import PackageDescription

// Strictness every target opts into (see docs/ARCHITECTURE.md).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Kith",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kith", targets: ["KithCLI"]),
        .executable(name: "KithBench", targets: ["KithBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
    ],
    targets: [
        // The social graph engine: pure Swift, no dependencies.
        .target(name: "KithGraph", swiftSettings: strict),

        // The word index of the directory search: pure Swift, no dependencies.
        .target(name: "KithSearch", swiftSettings: strict),

        // Entities, value objects, use-case services, repository protocols, policies. No server, no SQL.
        .target(
            name: "KithDomain",
            dependencies: ["KithGraph", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),

        // SQLKit storage on SQLite (default) and PostgreSQL.
        .target(
            name: "KithStorage",
            dependencies: [
                "KithDomain",
                "KithSearch",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),

        // HTTP: composition, middleware, API and page controllers, Plot views.
        .target(
            name: "KithWeb",
            dependencies: [
                "KithDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The application: the wiring of services on a store, the HTTP application, the background
        // services and the demo seeding. The only target that sees both KithWeb and KithStorage.
        .target(
            name: "KithApp",
            dependencies: [
                "KithDomain",
                "KithStorage",
                "KithWeb",
                "KithDemo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // A deterministic synthetic community for `kith serve --demo`, tests and benchmarks.
        .target(name: "KithDemo", dependencies: ["KithDomain"], swiftSettings: strict),

        // The `kith` command line: parse flags, build the store or the app, call a service.
        .executableTarget(
            name: "KithCLI",
            dependencies: [
                "KithDomain",
                "KithStorage",
                "KithWeb",
                "KithApp",
                "KithDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Benchmarks, run in release mode; prints JSON lines.
        .executableTarget(
            name: "KithBench",
            dependencies: [
                "KithGraph",
                "KithSearch",
                "KithDomain",
                "KithStorage",
                "KithWeb",
                "KithApp",
                "KithDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Fixtures and store helpers shared by the test targets.
        .target(
            name: "KithTestSupport",
            dependencies: [
                "KithDomain",
                "KithStorage",
                "KithWeb",
                "KithApp",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "KithGraphTests", dependencies: ["KithGraph"], swiftSettings: strict),
        .testTarget(name: "KithSearchTests", dependencies: ["KithSearch"], swiftSettings: strict),
        .testTarget(
            name: "KithDomainTests",
            dependencies: ["KithGraph", "KithDomain", "KithStorage", "KithWeb", "KithApp", "KithTestSupport", "KithDemo"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KithStorageTests",
            dependencies: [
                "KithDomain", "KithStorage", "KithWeb", "KithApp", "KithTestSupport", "KithDemo",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KithWebTests",
            dependencies: [
                "KithDomain",
                "KithWeb",
                "KithApp",
                "KithStorage",
                "KithTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
