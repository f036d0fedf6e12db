// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "EventContracts",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eventc", targets: ["eventc"]),
        .executable(name: "eventc-bench", targets: ["eventc-bench"]),
        .executable(name: "plugin-example", targets: ["PluginExample"]),
        .executable(name: "shop-demo", targets: ["ShopDemo"]),
        .plugin(name: "EventcGenerate", targets: ["EventcGenerate"]),
        .library(name: "ContractModel", targets: ["ContractModel"]),
        .library(name: "ContractParser", targets: ["ContractParser"]),
        .library(name: "ContractChecker", targets: ["ContractChecker"]),
        .library(name: "EventRuntime", targets: ["EventRuntime"]),
        .library(name: "ContractCodegen", targets: ["ContractCodegen"]),
        .library(name: "EventRuntimeSQLite", targets: ["EventRuntimeSQLite"]),
        .library(name: "KafkaTransport", targets: ["KafkaTransport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // Software prefetch for the runtime's record loops (Swift has no prefetch of its own).
        .target(name: "CPrefetch"),
        .target(name: "ContractModel"),
        .target(name: "ContractParser", dependencies: ["CYAML", "ContractModel"]),
        // EventRuntime's scalar parsers validate defaults, so checked defaults are what decoders accept.
        .target(name: "ContractChecker", dependencies: ["ContractModel", "ContractParser", "EventRuntime"]),
        .target(
            name: "EventRuntime",
            dependencies: [
                "CPrefetch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The SQLite inbox and outbox: the embedded default for the reliability layer.
        .target(
            name: "EventRuntimeSQLite",
            dependencies: [
                "CSQLite", "EventRuntime", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The runtime's transport on a real Kafka cluster, through librdkafka.
        .target(
            name: "KafkaTransport",
            dependencies: [
                "CRdKafka", "EventRuntime", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "ContractCodegen", dependencies: ["ContractModel", "ContractChecker", "EventRuntime"]),
        .plugin(name: "EventcGenerate", capability: .buildTool(), dependencies: ["eventc"]),
        .executableTarget(
            name: "PluginExample",
            dependencies: ["EventRuntime"],
            path: "Examples/PluginExample",
            exclude: ["Contracts"],
            plugins: ["EventcGenerate"]
        ),
        .executableTarget(
            name: "ShopDemo",
            dependencies: [
                "EventRuntime", "EventRuntimeSQLite", "GeneratedContracts", "KafkaTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/ShopDemo"
        ),
        // The Swift generated from Contracts/, committed and drift-checked in CI.
        .target(name: "GeneratedContracts", dependencies: ["EventRuntime"], path: "Generated"),
        .executableTarget(
            name: "eventc",
            dependencies: [
                "ContractChecker",
                "ContractCodegen",
                "ContractParser",
                "ContractModel",
                "EventRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "eventc-bench",
            dependencies: [
                "CYAML", "ContractChecker", "ContractCodegen", "ContractParser", "ContractModel", "EventRuntime",
                "GeneratedContracts", "EventRuntimeSQLite", "KafkaTransport", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/eventc-bench"
        ),
        .testTarget(name: "ContractModelTests", dependencies: ["ContractModel"]),
        .testTarget(name: "ContractParserTests", dependencies: ["ContractParser", "ContractModel"]),
        .testTarget(
            name: "ContractCheckerTests",
            dependencies: ["ContractChecker", "ContractParser", "ContractModel", "EventRuntime"],
            exclude: ["avro_compatibility.py"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "EventcTests", dependencies: ["eventc", "ContractChecker", "ContractCodegen", "EventRuntime"]),
        .testTarget(
            name: "ContractCodegenTests",
            dependencies: ["ContractCodegen", "ContractChecker", "ContractParser", "ContractModel"],
            exclude: ["Contracts"]
        ),
        // The reference output for ContractCodegenTests/Contracts, compiled and exercised.
        .testTarget(name: "GeneratedReferenceTests", dependencies: ["EventRuntime"]),
        .testTarget(
            name: "EventRuntimeTests",
            dependencies: [
                "EventRuntime", "GeneratedContracts", "BrokerCrashChild",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KafkaTransportTests",
            dependencies: [
                "KafkaTransport", "EventRuntime", "EventRuntimeSQLite", "GeneratedContracts", "ShopDemo",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EventRuntimeSQLiteTests", dependencies: ["EventRuntimeSQLite", "EventRuntime", "GeneratedContracts"]),
        // Killed with SIGKILL at random moments by the broker's crash test.
        .executableTarget(name: "BrokerCrashChild", dependencies: ["EventRuntime"], path: "Tests/BrokerCrashChild"),
    ],
    swiftLanguageModes: [.v6]
)
