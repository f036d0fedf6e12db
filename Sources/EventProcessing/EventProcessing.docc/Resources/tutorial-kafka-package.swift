// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Shop",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The Kafka trait builds the Kafka transport, on librdkafka (apt-get install librdkafka-dev).
        .package(url: "https://github.com/your-org/EventContracts.git", .upToNextMinor(from: "0.9.0"), traits: ["Kafka"]),
    ],
    targets: [
        .executableTarget(
            name: "Shop",
            dependencies: [
                .product(name: "EventRuntime", package: "EventContracts"),
                .product(name: "EventRuntimeSQLite", package: "EventContracts"),
                .product(name: "KafkaTransport", package: "EventContracts"),
            ],
            exclude: ["Contracts"],
            plugins: [.plugin(name: "EventcGenerate", package: "EventContracts")]
        ),
    ]
)
