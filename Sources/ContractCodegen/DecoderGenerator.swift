import ContractModel

/// `init(from:)`: the newest shape read through any format's decoder. The decoder hands over each
/// field it finds by its position in the record's `_fields`; the runtime's read plans map what
/// older (and newer) versions wrote onto those positions, so this code grows with the fields, not
/// with the versions. Fields the data lacks take their defaults; a required one is an error.
struct DecoderGenerator {
    let context: GenerationContext

    func render(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        let signature = "\(context.access) init<D: EventDecoder & ~Copyable>(from decoder: inout D) throws(EventDecodingError)"
        w.line("/// Reads a value from any format's decoder, which has resolved the writer's version against this one.")
        w.block(signature) { w in
            guard !fields.isEmpty else {
                w.line("try decoder.fields { decoder, _ throws(EventDecodingError) in }")
                return
            }
            for (index, field) in fields.enumerated() { w.line("var field\(index): \(context.typeName(field.type))? = nil") }
            w.line("try decoder.fields { decoder, field throws(EventDecodingError) in")
            w.indented { w in
                w.line("switch field {")
                for (index, field) in fields.enumerated() {
                    let label = index == fields.count - 1 ? "default" : "case \(index)"
                    // `.some(…)`: assigned to a `T??` as it is, an optional's nil would become the
                    // variable's nil ("not read") and the field its default.
                    let read = value(field.type, depth: 0)
                    w.line("\(label): field\(index) = \(field.type.isOptional ? ".some(\(read))" : read)")
                }
                w.line("}")
            }
            w.line("}")
            // Each value moved (`take()`) into the memberwise initialiser, which stores it
            // (with the stored properties' spelling, `FieldGenerator.storedTypeName`, the record
            // is built in place, never copied).
            w.line("self.init(")
            w.indented { w in
                for (index, field) in fields.enumerated() {
                    let value = context.fallback(field).map { "field\(index).take() ?? \($0)" }
                        ?? "try decoder.required(field\(index).take(), \(SwiftLiteral.string(field.name)))"
                    let separator = index == fields.count - 1 ? ")" : ","
                    w.line("\(SwiftNames.argumentLabel(field.name)): \(value)\(separator)")
                }
            }
        }
    }

    /// An expression that reads a value of `type` from `decoder`.
    private func value(_ type: TypeExpression, depth: Int) -> String {
        let closure = "{ decoder throws(EventDecodingError) in "
        switch type {
        case .primitive(let primitive):
            return "try decoder.\(SwiftTypes.codingMethod(primitive))()"
        case .named(let name):
            let type = "\(context.event).\(SwiftNames.identifier(name))"
            return context.latest.type(named: name)?.isEnumeration == true
                ? "try decoder.enumeration(\(type).self)" : "try decoder.record(\(type).self)"
        case .optional(let wrapped):
            return "try decoder.optional \(closure)\(value(wrapped, depth: depth + 1)) }"
        case .array(let element):
            return "try decoder.array \(closure)\(value(element, depth: depth + 1)) }"
        case .map(let element):
            return "try decoder.map \(closure)\(value(element, depth: depth + 1)) }"
        }
    }
}
