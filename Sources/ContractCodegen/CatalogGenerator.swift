import ContractModel

/// `EventCatalog.swift`: every contract's descriptor, for creating topics and DLQs and checking
/// subscriptions without naming each event type. Without the `types` mode the file is written
/// with no declaration (the catalog belongs with the types), as swift-openapi-generator writes its
/// unused modes' files empty: the build plugin declares its outputs before knowing the modes.
struct CatalogGenerator {
    let options: GeneratorOptions

    func render(_ contracts: [CheckedContract]) -> String {
        var w = SwiftWriter()
        w.line("\(ContractGenerator.headerPrefix) from \(contracts.count) contract\(contracts.count == 1 ? "" : "s"). Do not edit.")
        guard options.modes.contains(.types) else {
            w.line("// The handlers mode only: EventCatalog is generated with the event types.")
            return w.text
        }
        w.line()
        for module in ["EventCore"] + options.imports.sorted() { w.line("import \(module)") }
        w.line()
        w.doc("Every contract, for creating topics and DLQs and checking subscriptions.")
        w.block("\(options.accessLevel.rawValue) enum EventCatalog") { w in
            w.line("\(options.accessLevel.rawValue) static let contracts: [ContractDescriptor] = [")
            for name in contracts.map(\.event).sorted() { w.line("    ContractDescriptor(\(name).self),") }
            w.line("]")
        }
        return w.text
    }
}
