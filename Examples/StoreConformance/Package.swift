// swift-tools-version: 6.1
// A store written outside EventContracts, as a user would write one: an inbox and an outbox of
// its own (in memory, for brevity), proven by EventTestKit's store conformance suite in its
// tests. It depends on EventContracts by path here; in your repository, by URL and version.
import PackageDescription

let package = Package(
    name: "MemoryStores",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "EventContracts", path: "../.."),
    ],
    targets: [
        .target(name: "MemoryStores", dependencies: [.product(name: "EventRuntime", package: "EventContracts")]),
        .testTarget(
            name: "MemoryStoresTests",
            dependencies: [
                "MemoryStores", .product(name: "EventRuntime", package: "EventContracts"),
                .product(name: "EventTestKit", package: "EventContracts"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
