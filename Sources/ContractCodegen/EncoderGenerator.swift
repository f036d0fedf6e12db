import ContractChecker
import ContractModel

/// `encode(to:)`: the fields of the newest version, compact, in declaration order, written
/// straight into the caller's `JSONWriter`.
struct EncoderGenerator {
    let context: GenerationContext

    func renderEventEncoder(_ w: inout SwiftWriter) {
        w.block("\(context.access) func encode(to writer: inout JSONWriter) throws(EventEncodingError)") { w in
            renderBody(context.latest.fields, path: { "\"\($0)\"" }, &w)
        }
    }

    func renderRecordEncoder(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        w.block("func encode(to writer: inout JSONWriter, path: @autoclosure () -> String) throws(EventEncodingError)") { w in
            renderBody(fields, path: { "JSONReader.path(path(), \"\($0)\")" }, &w)
        }
    }

    /// `path` spells the error path of a member from its name.
    private func renderBody(_ fields: [CheckedField], path: (String) -> String, _ w: inout SwiftWriter) {
        guard !fields.isEmpty else {
            w.line("writer.raw(\"{}\")")
            return
        }
        for (index, field) in fields.enumerated() {
            w.line("writer.raw(\"\(index == 0 ? "{" : ",")\\\"\(field.name)\\\":\")")
            renderValue("self.\(context.storageName(field))", field.type, path: path(field.name), depth: 0, &w)
        }
        w.line("writer.raw(\"}\")")
    }

    private func renderValue(_ value: String, _ type: TypeExpression, path: String, depth: Int, _ w: inout SwiftWriter) {
        switch type {
        case .optional(let wrapped):
            let unwrapped = "value\(depth)"
            w.line("if let \(unwrapped) = \(value) {")
            w.indented { w in renderValue(unwrapped, wrapped, path: path, depth: depth + 1, &w) }
            w.line("} else {")
            w.indented { w in w.line("writer.null()") }
            w.line("}")
        case .primitive(let primitive):
            switch primitive {
            case .bool: w.line("writer.bool(\(value))")
            case .int, .long: w.line("writer.int(\(value))")
            case .float: w.line("try writer.float(\(value), path: \(path))")
            case .double: w.line("try writer.double(\(value), path: \(path))")
            case .string: w.line("writer.string(\(value))")
            case .bytes: w.line("writer.base64(\(value))")
            case .decimal: w.line("writer.decimal(\(value))")
            case .uuid: w.line("writer.uuid(\(value))")
            case .timestamp: w.line("writer.timestamp(\(value))")
            case .date: w.line("writer.date(\(value))")
            }
        case .named(let name):
            if context.latest.type(named: name)?.isEnumeration == true {
                w.line("writer.string(\(value).rawValue)")
            } else {
                w.line("try \(value).encode(to: &writer, path: \(path))")
            }
        case .array(let element):
            w.line("writer.raw(\"[\")")
            w.block("for (index\(depth), element\(depth)) in \(value).enumerated()") { w in
                w.line("if index\(depth) > 0 { writer.raw(\",\") }")
                renderValue("element\(depth)", element, path: "JSONReader.path(\(path), index: index\(depth))", depth: depth + 1, &w)
            }
            w.line("writer.raw(\"]\")")
        case .map(let valueType):
            w.line("writer.raw(\"{\")")
            // Sorted keys: the same event always encodes to the same bytes.
            w.block("for (index\(depth), entry\(depth)) in \(value).sorted(by: { $0.key < $1.key }).enumerated()") { w in
                w.line("if index\(depth) > 0 { writer.raw(\",\") }")
                w.line("writer.string(entry\(depth).key)")
                w.line("writer.raw(\":\")")
                renderValue("entry\(depth).value", valueType, path: "JSONReader.path(\(path), entry\(depth).key)", depth: depth + 1, &w)
            }
            w.line("writer.raw(\"}\")")
        }
    }
}
