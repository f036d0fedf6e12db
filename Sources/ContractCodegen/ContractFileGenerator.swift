import ContractModel

/// One contract → one Swift file: the version check, the event struct (metadata, schemas, fields,
/// nested types, field coding) in the `types` mode, the handler protocol in the `handlers` mode.
/// Each construct has its generator; this one puts them in order.
struct ContractFileGenerator {
    let context: GenerationContext

    init(contract: CheckedContract, options: GeneratorOptions) throws(GenerationError) {
        context = GenerationContext(contract: contract, options: options)
        try context.validateNames()
    }

    func render() -> String {
        var w = SwiftWriter()
        let source = context.contract.file
        w.line("\(ContractGenerator.headerPrefix) from \(source.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 } ? source : "a contract"). Do not edit.")
        w.line()
        let modes = context.options.modes
        let runtime = modes.contains(.handlers) ? ["EventCore", "EventProcessing"] : ["EventCore"]
        for module in runtime + ["Foundation"] + context.options.imports.sorted() { w.line("import \(module)") }
        w.line()
        Self.renderVersionCheck(&w)
        if modes.contains(.types) {
            w.line()
            EventStructGenerator(context: context).render(&w)
        }
        if modes.contains(.handlers) {
            w.line()
            HandlerProtocolGenerator(context: context).render(&w)
        }
        return w.text
    }

    /// Names the runtime API version this code is written for: an older runtime fails to compile
    /// it (its `EventRuntimeAPIVersion_N` does not exist there) instead of misbehaving.
    static func renderVersionCheck(_ w: inout SwiftWriter) {
        let version = ContractGenerator.runtimeAPIVersion
        w.block("fileprivate struct _GeneratedWithEventcVersion: EventRuntimeAPIVersionCheck") { w in
            w.line("struct _\(version): EventRuntimeAPIVersion_\(version) {}")
            w.line("typealias Version = _\(version)")
        }
    }
}
