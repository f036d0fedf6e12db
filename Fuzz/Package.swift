// swift-tools-version: 6.0
// Fuzz targets (libFuzzer), apart from the main package so its builds never carry sanitizers.
// Build and run them with ./run (see CONTRIBUTING.md's Fuzzing section).
import PackageDescription

let package = Package(
    name: "EventContractsFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "EventContracts", path: "..")],
    targets: [
        // The generated decoders of this repository's contracts, on arbitrary bytes. `run` writes
        // them into Sources/FuzzDecoder/Generated first, with an eventc built without sanitizers
        // (the build plugin's eventc would be built with them, and libFuzzer's main then clashes
        // with eventc's).
        .executableTarget(
            name: "FuzzDecoder",
            dependencies: [
                .product(name: "EventCore", package: "EventContracts"),
                .product(name: "EventProcessing", package: "EventContracts"),
            ]
        ),
        // The contract pipeline on an arbitrary contract file: parse, check, generate, export, docs, breaking.
        .executableTarget(
            name: "FuzzContracts",
            dependencies: [
                .product(name: "ContractParser", package: "EventContracts"),
                .product(name: "ContractChecker", package: "EventContracts"),
                .product(name: "ContractCodegen", package: "EventContracts"),
                .product(name: "ContractCatalog", package: "EventContracts"),
                .product(name: "ContractModel", package: "EventContracts"),
            ]
        ),
    ]
)
