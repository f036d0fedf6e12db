import ContractCodegen

/// What `eventc --version` prints: the package's version (semantic versioning: see the README's
/// "Versions" and the "Versions and migration" article), the contract language it reads and the runtime API version of the code it writes.
enum EventcVersion {
    static let package = "0.9.0"
    static let contractLanguage = 1

    static var description: String {
        "eventc \(package) (contract language v\(contractLanguage), generated code for runtime API version \(ContractGenerator.runtimeAPIVersion))"
    }
}
