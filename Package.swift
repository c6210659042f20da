// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
/// Tests import what they exercise; member-import strictness would only add boilerplate there.
let testSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "MBT",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mbt", targets: ["mbt"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Pure domain core: value types and rules, no I/O.
        .target(name: "MBTDomain", swiftSettings: swiftSettings),
        // Persistence: one schema and one set of queries over PostgreSQL and SQLite.
        .target(
            name: "MBTStorage",
            dependencies: [
                "MBTDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Market data: the provider interface and its implementations.
        .target(
            name: "MBTMarketData",
            dependencies: [
                "MBTDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Trading services: gates, accounts, orders; composed from domain, storage and market data.
        .target(
            name: "MBTTrading",
            dependencies: [
                "MBTDomain", "MBTStorage", "MBTMarketData",
                .product(name: "Yams", package: "Yams"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("feature_flags.yaml")],
            swiftSettings: swiftSettings
        ),
        // HTTP: the Hummingbird application, middleware and routes.
        .target(
            name: "MBTServer",
            dependencies: [
                "MBTDomain", "MBTStorage", "MBTMarketData", "MBTTrading",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            resources: [.copy("OpenAPI/openapi.json"), .copy("Web/Templates"), .copy("Web/Assets")],
            swiftSettings: swiftSettings
        ),
        // Command-line interface: parses arguments and wires the parts together.
        .target(
            name: "MBTCLI",
            dependencies: [
                "MBTDomain", "MBTStorage", "MBTMarketData", "MBTTrading", "MBTServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "mbt", dependencies: ["MBTCLI"], swiftSettings: swiftSettings),

        // Test support: Alpaca's Market Data API on loopback, for the real client to talk to.
        .target(
            name: "MBTFakeAlpaca",
            dependencies: [
                "MBTDomain", "MBTMarketData",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/MBTFakeAlpaca",
            swiftSettings: testSwiftSettings
        ),
        // Test support: throwaway databases on SQLite or the test PostgreSQL.
        .target(
            name: "MBTTestSupport",
            dependencies: ["MBTStorage", "MBTDomain", "MBTTrading"],
            path: "Tests/MBTTestSupport",
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTDomainTests",
            dependencies: ["MBTDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTStorageTests",
            dependencies: [
                "MBTStorage", "MBTTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTTradingTests",
            dependencies: ["MBTTrading", "MBTTestSupport"],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTServerTests",
            dependencies: [
                "MBTServer", "MBTTestSupport", "MBTDomain", "MBTStorage", "MBTTrading", "MBTMarketData",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTCLITests",
            dependencies: [
                "MBTCLI", "mbt", "MBTTestSupport", "MBTStorage", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MBTMarketDataTests",
            dependencies: [
                "MBTMarketData", "MBTDomain", "MBTFakeAlpaca",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSwiftSettings
        ),
    ]
)
