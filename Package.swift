// swift-tools-version: 6.1
import PackageDescription

// Two halves that meet only in generated code: the contract compiler (model → parser → checker →
// codegen → `eventc`), which needs nothing of the runtime but its core, and the runtime that
// generated code runs on, one module per job. CONTRIBUTING.md's "Modules" section draws the graph.

/// Kafka needs librdkafka (Debian's `librdkafka-dev`), which a fresh machine lacks: the Kafka
/// transport, its tests and the demo's `--kafka` options build only with the `Kafka` trait
/// (`swift build --traits Kafka`, or `traits: ["Kafka"]` on a dependency).
let kafka = TargetDependencyCondition.when(traits: ["Kafka"])

let package = Package(
    name: "EventContracts",
    platforms: [.macOS(.v15)],
    products: [
        // The compiler and its build plugin.
        .executable(name: "eventc", targets: ["eventc"]),
        .plugin(name: "EventcGenerate", targets: ["EventcGenerate"]),
        // Operating a running system: dead-letter topics of a durable broker folder.
        .executable(name: "eventc-ops", targets: ["eventc-ops"]),
        // The runtime. `EventRuntime` is the umbrella most services use; the others let a service
        // take less (generated types and Kafka without the in-process broker, say).
        .library(name: "EventRuntime", targets: ["EventRuntime", "EventCore", "EventTransport", "EventBroker", "EventProcessing"]),
        .library(name: "EventCore", targets: ["EventCore"]),
        .library(name: "EventTransport", targets: ["EventTransport"]),
        .library(name: "EventBroker", targets: ["EventBroker"]),
        .library(name: "EventProcessing", targets: ["EventProcessing"]),
        .library(name: "EventRuntimeSQLite", targets: ["EventRuntimeSQLite"]),
        .library(name: "EventRuntimePostgres", targets: ["EventRuntimePostgres"]),
        .library(name: "KafkaTransport", targets: ["KafkaTransport"]),
        // For a service's tests (swift-nio's NIOTestUtils is the model): clocks, fault injection,
        // polling helpers, and the conformance suite a store of one's own runs.
        .library(name: "EventTestKit", targets: ["EventTestKit"]),
        // The compiler as libraries, for tools of one's own.
        .library(name: "ContractModel", targets: ["ContractModel"]),
        .library(name: "ContractParser", targets: ["ContractParser"]),
        .library(name: "ContractChecker", targets: ["ContractChecker"]),
        .library(name: "ContractCodegen", targets: ["ContractCodegen"]),
        .library(name: "ContractCatalog", targets: ["ContractCatalog"]),
        // This repository's own programs.
        .executable(name: "eventc-bench", targets: ["eventc-bench"]),
        .executable(name: "plugin-example", targets: ["PluginExample"]),
        .executable(name: "shop-demo", targets: ["ShopDemo"]),
    ],
    traits: [
        .trait(name: "Kafka", description: "The Kafka transport, through librdkafka (needs librdkafka-dev)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // Only for `swift package generate-documentation` (the DocC catalogs): a command plugin,
        // nothing of it is built into a product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        // Software prefetch for the runtime's record loops (Swift has no prefetch of its own).
        .target(name: "CPrefetch"),

        // MARK: The runtime

        // What generated event types and codecs need, and nothing else: events, the JSON and Avro
        // codecs, scalar types, the delivery policy, the API-version check. No logging, metrics or
        // services. (Generated handler protocols also need EventProcessing.)
        .target(name: "EventCore"),
        // The seam between the runtime and a log: transports, records, configs, one error type,
        // clocks, the publisher.
        .target(
            name: "EventTransport",
            dependencies: ["EventCore", "CPrefetch", .product(name: "Tracing", package: "swift-distributed-tracing")]
        ),
        // Kafka's semantics in one process, optionally durable.
        .target(
            name: "EventBroker",
            dependencies: [
                "EventTransport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Handlers on a consumer group: dispatch, retries, dead letters, deduplication.
        .target(
            name: "EventProcessing",
            dependencies: [
                "EventTransport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The umbrella: re-exports the four above.
        .target(name: "EventRuntime", dependencies: ["EventCore", "EventTransport", "EventBroker", "EventProcessing"]),
        // The SQLite inbox and outbox: the embedded default for the reliability layer.
        .target(
            name: "EventRuntimeSQLite",
            dependencies: [
                "CSQLite", "EventProcessing", .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The inbox and outbox on PostgreSQL, through postgres-nio: for services that run several
        // instances (relays share the outbox; rows of one key are still sent in order).
        .target(
            name: "EventRuntimePostgres",
            dependencies: [
                "EventProcessing", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Test doubles and the store conformance suite, apart from the runtime (users' tests link
        // it, their services need not). Its one event type is generated from its Contracts/ with
        // `--mode types` and drift-checked in CI; the catalog file is left out, so it cannot
        // clash with a user's own `EventCatalog`.
        .target(
            name: "EventTestKit",
            dependencies: [
                "EventCore", "EventTransport", "EventBroker", "EventProcessing", .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Contracts", "Generated/EventCatalog.swift"]
        ),
        // The transport on a real Kafka cluster, through librdkafka (with the `Kafka` trait).
        .target(
            name: "KafkaTransport",
            dependencies: [
                .target(name: "CRdKafka", condition: kafka), "EventTransport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // MARK: The compiler

        .target(name: "ContractModel", dependencies: ["EventCore"]),
        .target(name: "ContractParser", dependencies: ["CYAML", "ContractModel", "EventCore"]),
        // Checks contracts and hands later stages a checked, resolved form. Defaults are read with
        // the core's own number grammar and scalar parsers, so a default it accepts is what
        // decoders accept.
        .target(name: "ContractChecker", dependencies: ["ContractModel", "ContractParser", "EventCore"]),
        // Reads only the checked form (ContractModel's `CheckedContract`): no parser, no libyaml.
        .target(name: "ContractCodegen", dependencies: ["ContractModel", "EventCore"]),
        // The event catalog: a static site from checked contracts, with the exporters' files.
        .target(name: "ContractCatalog", dependencies: ["ContractChecker", "ContractCodegen", "ContractModel", "EventCore"]),
        // What eventc and eventc-ops share: outcomes, exit statuses, standard error, loading
        // checked contracts.
        .target(
            name: "EventcCommandLine",
            dependencies: ["ContractChecker", "ContractParser", "ContractModel", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "eventc",
            dependencies: [
                "ContractCatalog", "ContractChecker", "ContractCodegen", "ContractParser", "ContractModel", "EventcCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .plugin(name: "EventcGenerate", capability: .buildTool(), dependencies: ["eventc"]),
        .executableTarget(
            name: "eventc-ops",
            dependencies: [
                "EventBroker", "EventProcessing", "ContractChecker", "ContractCodegen", "ContractModel", "EventcCommandLine",
                .target(name: "KafkaTransport", condition: kafka),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Examples and benchmarks

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
                "EventRuntime", "EventRuntimeSQLite", "EventRuntimePostgres", "GeneratedContracts", "EventTestKit",
                .target(name: "KafkaTransport", condition: kafka),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/ShopDemo"
        ),
        // The Swift generated from Contracts/, committed and drift-checked in CI.
        .target(name: "GeneratedContracts", dependencies: ["EventCore", "EventProcessing"], path: "Generated"),
        .executableTarget(
            name: "eventc-bench",
            dependencies: [
                "CYAML", "ContractChecker", "ContractCodegen", "ContractParser", "ContractModel", "EventRuntime",
                "GeneratedContracts", "EventRuntimeSQLite", "EventRuntimePostgres", .target(name: "KafkaTransport", condition: kafka),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/eventc-bench"
        ),

        // MARK: Tests (one target per module, plus shared support)

        // Helpers every runtime test target shares: records, scratch folders, brokers, SQLite's
        // stores for the conformance suite.
        .target(
            name: "EventTestSupport",
            dependencies: [
                "EventBroker", "EventTestKit", "EventRuntimeSQLite", .target(name: "KafkaTransport", condition: kafka), "ToolTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Tests/EventTestSupport"
        ),
        // The repository's root, and finding and running the independent tools the tests check against.
        .target(name: "ToolTestSupport", dependencies: ["ContractChecker", "ContractModel"], path: "Tests/ToolTestSupport"),
        .testTarget(name: "ContractModelTests", dependencies: ["ContractModel"]),
        .testTarget(name: "ContractParserTests", dependencies: ["ContractParser", "ContractModel", "EventCore"]),
        .testTarget(
            name: "ContractCheckerTests",
            dependencies: ["ContractChecker", "ContractParser", "ContractModel", "EventCore", "ToolTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ContractCodegenTests",
            dependencies: ["ContractCodegen", "ContractChecker", "ContractParser", "ContractModel", "EventCore", "ToolTestSupport"],
            exclude: ["Contracts", "avro_compatibility.py", "asyncapi_check.py"]
        ),
        .testTarget(
            name: "ContractCatalogTests",
            dependencies: ["ContractCatalog", "ContractCodegen", "ContractChecker", "ContractParser", "ContractModel", "ToolTestSupport"]
        ),
        .testTarget(name: "EventcTests", dependencies: ["eventc", "ContractChecker", "ContractCodegen", "EventcCommandLine", "EventTestSupport"]),
        .testTarget(
            name: "EventcOpsTests",
            dependencies: [
                "EventTestKit",
                "eventc-ops", "EventRuntime", "EventTestSupport", "EventcCommandLine", "GeneratedContracts", "ToolTestSupport",
                .target(name: "KafkaTransport", condition: kafka),
            ]
        ),
        // The reference output for ContractCodegenTests/Contracts, compiled and exercised.
        .testTarget(name: "GeneratedReferenceTests", dependencies: ["EventCore", "EventProcessing"]),
        // The same output in the `types` mode, built with EventCore alone: a library of event
        // types needs no processor.
        .testTarget(name: "GeneratedTypesReferenceTests", dependencies: ["EventCore"]),
        .testTarget(
            name: "GeneratedContractsTests",
            dependencies: [
                "GeneratedContracts", "EventRuntime", "EventTestSupport", "ContractCodegen", "ContractChecker", "ContractParser",
                "ToolTestSupport",
            ],
            exclude: ["json_schema_check.py", "avro_interop.py"]
        ),
        // Files generated for runtime API versions 1 to 3 (before generated code was
        // format-neutral), compiled against today's runtime: old generated code must keep building.
        .testTarget(name: "LegacyGeneratedCodeTests", dependencies: ["EventRuntime", "GeneratedContracts"]),
        .testTarget(name: "EventCoreTests", dependencies: ["EventCore", "ToolTestSupport"]),
        .testTarget(name: "EventTestKitTests", dependencies: ["EventTestKit", "EventBroker", "EventProcessing", "EventTransport", "EventCore"]),
        // The same semantics on every transport: the in-process broker, and Kafka's mock cluster.
        .testTarget(
            name: "TransportConformanceTests",
            dependencies: [
                "EventTestKit",
                "EventBroker", "EventProcessing", "EventRuntimeSQLite", "EventTestSupport", "GeneratedContracts",
                .target(name: "KafkaTransport", condition: kafka),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "EventBrokerTests",
            dependencies: [
                "EventTestKit",
                "EventBroker", "EventTestSupport", "GeneratedContracts", "BrokerCrashChild",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "EventProcessingTests",
            dependencies: [
                "EventTestKit",
                "EventProcessing", "EventBroker", "EventTestSupport", "GeneratedContracts",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "EventRuntimeSQLiteTests",
            dependencies: [
                "EventRuntimeSQLite", "EventRuntime", "EventTestSupport", "GeneratedContracts", "EventTestKit",
            ]
        ),
        // On a real server: skipped, saying so, unless EVENTC_POSTGRES_URL is set (`.ci/postgres start`).
        .testTarget(
            name: "EventRuntimePostgresTests",
            dependencies: [
                "EventRuntimePostgres", "EventRuntime", "EventTestSupport", "GeneratedContracts", "EventTestKit", "ToolTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KafkaTransportTests",
            dependencies: [
                "EventTestKit",
                .target(name: "KafkaTransport", condition: kafka), "EventRuntime", "EventRuntimeSQLite", "EventTestSupport",
                "GeneratedContracts", .target(name: "ShopDemo", condition: kafka), "ToolTestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Swift samples of the README and the DocC articles, compiled: what users copy must build.
        .testTarget(
            name: "DocumentationSampleTests",
            dependencies: [
                "EventRuntime", "EventRuntimeSQLite", "EventRuntimePostgres", "GeneratedContracts", "EventTestSupport",
                "EventTestKit", "ToolTestSupport", .product(name: "Logging", package: "swift-log"),
                .target(name: "KafkaTransport", condition: kafka),
            ]
        ),
        // Killed with SIGKILL at random moments by the broker's crash test.
        .executableTarget(name: "BrokerCrashChild", dependencies: ["EventBroker"], path: "Tests/BrokerCrashChild"),
    ],
    swiftLanguageModes: [.v6]
)
