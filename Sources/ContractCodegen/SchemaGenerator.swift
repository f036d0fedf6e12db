import ContractModel

/// What the runtime's formats read a generated type with: each version's Avro schema as `eventc
/// export avro` writes it (compact, without docs), from which the runtime builds its read plans;
/// and each record's field names.
struct SchemaGenerator {
    let context: GenerationContext

    func render(_ w: inout SwiftWriter) {
        let contract = context.contract
        w.doc("Every version's Avro schema, oldest first: what the runtime reads each version's data with.")
        w.line("\(context.access) static let schemas: EventSchemaSet? = EventSchemaSet(")
        w.indented { w in
            for (index, version) in contract.versions.enumerated() {
                let text = AvroSchemaExporter.schema(of: contract, version: version, docs: false).compact()
                w.line(SwiftLiteral.rawString(text) + (index == contract.versions.count - 1 ? ")" : ","))
            }
        }
        renderFieldNames(context.latest.fields, &w)
    }

    func renderFieldNames(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        w.line("/// The fields' names in declaration order, for the runtime's formats.")
        w.line("\(context.access) static let _fields = EventNames(\(fields.map { SwiftLiteral.string($0.name) }.joined(separator: ", ")))")
    }
}
