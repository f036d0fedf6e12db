import ContractChecker

/// `EventCatalog.swift`: every contract's descriptor, for creating topics and DLQs and checking
/// subscriptions without naming each event type.
struct CatalogGenerator {
    let options: GeneratorOptions

    func render(_ contracts: [CheckedContract]) -> String {
        var w = SwiftWriter()
        w.line("\(ContractGenerator.headerPrefix) from \(contracts.count) contract\(contracts.count == 1 ? "" : "s"). Do not edit.")
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
