import ContractModel
import EventCore
import Foundation

/// Contract types and default values as Swift spellings.
enum SwiftTypes {
    /// Named types are nested in the event struct and always spelled `Event.Name`, so the
    /// spelling resolves in the record decoders' extensions too.
    static func name(_ type: TypeExpression, in event: String) -> String {
        switch type {
        case .primitive(let primitive): primitiveName(primitive)
        case .named(let name): "\(event).\(SwiftNames.identifier(name))"
        case .array(let element): "[\(self.name(element, in: event))]"
        case .map(let value): "[String: \(self.name(value, in: event))]"
        case .optional(let wrapped): "\(self.name(wrapped, in: event))?"
        }
    }

    static func primitiveName(_ primitive: PrimitiveType) -> String {
        switch primitive {
        case .bool: "Bool"
        case .int: "Int32"
        case .long: "Int64"
        case .float: "Float"
        case .double: "Double"
        case .string: "String"
        case .bytes: "[UInt8]"
        case .decimal: "ExactDecimal"
        case .uuid: "UUID"
        case .timestamp: "Timestamp"
        case .date: "LocalDate"
        }
    }

    /// The `EventEncoder` and `EventDecoder` method that writes or reads a primitive.
    static func codingMethod(_ primitive: PrimitiveType) -> String {
        switch primitive {
        case .bool: "bool"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .bytes: "byteString"
        case .decimal: "decimal"
        case .uuid: "uuid"
        case .timestamp: "timestamp"
        case .date: "date"
        }
    }

    /// Whether some format refuses values of the primitive when writing (JSON: non-finite
    /// numbers; Avro: decimals and timestamps outside its mapping).
    static func encodingThrows(_ primitive: PrimitiveType) -> Bool {
        [.float, .double, .decimal, .timestamp].contains(primitive)
    }

    /// A Swift expression for a checked default of `type` (named types as `version` sees them).
    /// The checker typed every literal by its field, so each case below meets only the types it
    /// can have; scalars that JSON carries as text arrive parsed and are written as constructions
    /// that cannot fail.
    static func literal(_ value: Literal, as type: TypeExpression, in version: CheckedVersion, event: String) -> String {
        switch (value, type.nonOptional) {
        case (.null, _): return "nil"
        case (.bool(let flag), _): return flag ? "true" : "false"
        case (.int(let number), _): return String(number)
        case (.float(let number), .primitive(let primitive)):
            let text = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
            return primitive == .float ? "Float(\(text))" : "Double(\(text))"
        case (.float(let number), _): return "\(number)"
        case (.string(let text), _): return SwiftLiteral.string(text)
        case (.bytes(let bytes), _): return "[" + bytes.map(String.init).joined(separator: ", ") + "] as [UInt8]"
        case (.decimal(let decimal), _): return "ExactDecimal(stringLiteral: \(SwiftLiteral.string(decimal.text)))"
        case (.uuid(let uuid), _):
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            return "UUID(uuid: (" + bytes.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "))"
        case (.timestamp(let time), _):
            return "Timestamp(secondsSince1970: \(time.secondsSince1970), nanoseconds: \(time.nanoseconds))"
        case (.date(let date), _):
            return "LocalDate(uncheckedYear: \(date.year), month: \(date.month), day: \(date.day))"
        case (.symbol(let symbol), _): return "." + SwiftNames.identifier(symbol)
        case (.array(let items), .array(let element)):
            return "[" + items.map { literal($0, as: element, in: version, event: event) }.joined(separator: ", ") + "]"
        case (.map(let entries), .map(let value)):
            if entries.isEmpty { return "[:]" }
            return "[" + entries.map { "\(SwiftLiteral.string($0.key)): \(literal($0.value, as: value, in: version, event: event))" }
                .joined(separator: ", ") + "]"
        case (.record(let entries), .named(let name)):
            // The resolver gives every field of the record, in declaration order.
            let fields = version.type(named: name)?.fields ?? []
            let arguments = zip(entries, fields).map { entry, field in
                "\(SwiftNames.argumentLabel(entry.key)): \(literal(entry.value, as: field.type, in: version, event: event))"
            }
            return "\(event).\(SwiftNames.identifier(name))(\(arguments.joined(separator: ", ")))"
        case (.array, _), (.map, _), (.record, _):
            preconditionFailure("a checked \(value) default for type \(type)")
        }
    }
}
