import ContractModel

/// `traverse(_:)`: each field of the newest shape, in order, handed to any format's encoder —
/// `field(n)`, then the value. Optional fields whose default is a value say so (`nullFirst:
/// false`): their Avro union puts the value's branch first, as `eventc export avro` declares it.
struct EncoderGenerator {
    let context: GenerationContext

    func render(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        w.line("/// Hands each field, in declaration order, to a format's encoder.")
        w.block("\(context.access) func traverse<E: EventEncoder & ~Copyable>(_ encoder: inout E) throws(EventEncodingError)") { w in
            for (index, field) in fields.enumerated() {
                w.line("encoder.field(\(index))")
                w.line(value("self.\(context.storageName(field))", field.type, nullFirst: !Self.valueFirst(field), depth: 0))
            }
        }
    }

    /// Whether the field's Avro union is `[T, "null"]`: an optional with a default that is a value.
    static func valueFirst(_ field: CheckedField) -> Bool {
        guard field.type.isOptional, let literal = field.defaultValue else { return false }
        return literal != .null
    }

    /// A statement that writes `value` of `type` to `encoder`.
    private func value(_ value: String, _ type: TypeExpression, nullFirst: Bool, depth: Int) -> String {
        let element = "value\(depth)"
        switch type {
        case .primitive(let primitive):
            let call = "encoder.\(SwiftTypes.codingMethod(primitive))(\(value))"
            return SwiftTypes.encodingThrows(primitive) ? "try " + call : call
        case .named(let name):
            return context.latest.type(named: name)?.isEnumeration == true ? "encoder.enumeration(\(value))" : "try encoder.record(\(value))"
        case .optional(let wrapped):
            let order = nullFirst ? "" : ", nullFirst: false"
            return "try encoder.optional(\(value)\(order)) { encoder, \(element) throws(EventEncodingError) in "
                + self.value(element, wrapped, nullFirst: true, depth: depth + 1) + " }"
        case .array(let item):
            return "try encoder.array(\(value)) { encoder, \(element) throws(EventEncodingError) in "
                + self.value(element, item, nullFirst: true, depth: depth + 1) + " }"
        case .map(let item):
            return "try encoder.map(\(value)) { encoder, \(element) throws(EventEncodingError) in "
                + self.value(element, item, nullFirst: true, depth: depth + 1) + " }"
        }
    }
}
