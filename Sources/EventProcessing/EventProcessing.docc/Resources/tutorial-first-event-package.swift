// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Shop",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/your-org/EventContracts.git", .upToNextMinor(from: "0.9.0")),
    ],
    targets: [
        .executableTarget(
            name: "Shop",
            dependencies: [.product(name: "EventRuntime", package: "EventContracts")],
            exclude: ["Contracts"],
            plugins: [.plugin(name: "EventcGenerate", package: "EventContracts")]
        ),
    ]
)
