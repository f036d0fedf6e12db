import ContractModel
import EventCore

/// The event struct: its contract's metadata and schemas, the newest version's fields and
/// initialiser, the partition key, the nested named types, and the format-neutral field coding.
struct EventStructGenerator {
    let context: GenerationContext

    func render(_ w: inout SwiftWriter) {
        let contract = context.contract
        w.doc(contract.summary)
        w.block("\(context.access) struct \(context.event): EventContract, EventRecord") { w in
            renderMetadata(&w)
            w.line()
            SchemaGenerator(context: context).render(&w)
            w.line()
            FieldGenerator(context: context).renderStorage(context.latest.fields, &w)
            w.line()
            FieldGenerator(context: context).renderInit(context.latest.fields, &w)
            w.line()
            renderPartitionKey(&w)
            for type in context.latest.types {
                w.line()
                switch type.kind {
                case .enumeration: EnumGenerator(context: context).render(type, &w)
                case .record: RecordGenerator(context: context).render(type, &w)
                }
            }
            w.line()
            DecoderGenerator(context: context).render(context.latest.fields, &w)
            w.line()
            EncoderGenerator(context: context).render(context.latest.fields, &w)
            ValidatorGenerator(context: context).render(context.latest.fields, &w)
            if contract.encoding == .avro {
                w.line()
                renderSpecializedAvroCodec(&w)
            }
        }
    }

    /// The Avro requirements, implemented here so that they are specialised for this event: the
    /// runtime's defaults are compiled once and unspecialised, which is right for the many
    /// events that never meet Avro and would build slower for it, not for those published as Avro.
    private func renderSpecializedAvroCodec(_ w: inout SwiftWriter) {
        let access = context.access
        w.line("/// Avro is this contract's encoding: its codec is specialised here, as JSON's is.")
        w.block("\(access) func encode(to writer: inout AvroWriter) throws(EventEncodingError)") { w in
            w.line("try writer.record(self)")
        }
        w.line()
        w.line("/// Avro is this contract's encoding: its codec is specialised here, as JSON's is.")
        w.block("\(access) static func decode(from reader: inout AvroReader) throws(EventDecodingError) -> Self") { w in
            w.line("try Self(from: &reader)")
        }
    }

    private func renderMetadata(_ w: inout SwiftWriter) {
        let (access, contract) = (context.access, context.contract)
        let delivery = contract.delivery
        w.line("/// The event's name: the `ce_type` header, and the contract's `event`.")
        w.line("\(access) static let eventType = \(SwiftLiteral.string(contract.event))")
        w.line("/// The contract's namespace.")
        w.line("\(access) static let namespace = \(SwiftLiteral.string(contract.namespace))")
        w.line("/// The topic it is published to.")
        w.line("\(access) static let topic = \(SwiftLiteral.string(contract.topic))")
        w.line("/// How many partitions the topic has.")
        w.line("\(access) static let partitions = \(contract.partitions)")
        w.line("/// The field whose value is the record key (nil: unkeyed).")
        w.line("\(access) static let keyField: String? = \(contract.keyField.map(SwiftLiteral.string) ?? "nil")")
        w.line("/// The newest version: what this code writes.")
        w.line("\(access) static let currentVersion = \(context.latest.number)")
        w.line("/// How versions may evolve: what `eventc check` enforced.")
        w.line("\(access) static let compatibility = CompatibilityLevel.\(Self.caseName(contract.compatibility))")
        w.line("/// How the event is published: JSON, or Avro in Confluent's frame.")
        w.line("\(access) static let encoding = EventEncoding.\(Self.caseName(contract.encoding))")
        w.line("/// The delivery policy: acks, idempotency, retries and the dead-letter topic.")
        w.line("\(access) static let delivery = DeliveryPolicy(")
        let reasons = DeliveryPolicy.DeadLetterReason.allCases.filter(delivery.deadLetterOn.contains).map { ".\(Self.caseName($0))" }
        w.line("    acks: .\(Self.caseName(delivery.acks)), idempotency: .\(Self.caseName(delivery.idempotency)),")
        w.line("    retryAttempts: \(delivery.retryAttempts), backoff: .\(Self.caseName(delivery.backoff)),")
        w.line("    initialBackoffMilliseconds: \(delivery.initialBackoffMilliseconds), backoffMultiplier: \(delivery.backoffMultiplier),")
        w.line("    maxBackoffMilliseconds: \(delivery.maxBackoffMilliseconds),")
        w.line("    deadLetterTopic: \(SwiftLiteral.string(delivery.deadLetterTopic)), deadLetterOn: [\(reasons.joined(separator: ", "))])")
    }

    /// A case's Swift name, from the case itself: the runtime's enums are the ones generated code
    /// names, so the spelling cannot drift from a hand-kept table.
    static func caseName(_ value: some Sendable) -> String { "\(value)" }

    private func renderPartitionKey(_ w: inout SwiftWriter) {
        w.line("/// The record's key: the contract's key field as text (nil for `key: none`), so one key's events stay on one partition, in order.")
        guard let name = context.contract.keyField, let field = context.latest.field(named: name) else {
            w.line("\(context.access) var partitionKey: String? { nil }")
            return
        }
        let value = context.storageName(field)
        let expression = switch field.type {
        case .primitive(.string): value
        case .primitive(.uuid): "String(decoding: UUIDText.bytes(\(value)), as: UTF8.self)"
        case .named: "\(value).rawValue"
        default: "String(\(value))"
        }
        w.line("\(context.access) var partitionKey: String? { \(expression) }")
    }
}

/// Stored properties and the memberwise initialiser of the event and of its records.
struct FieldGenerator {
    let context: GenerationContext

    func renderStorage(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        for field in fields {
            let type = storedTypeName(field.type)
            let storage = context.storageName(field)
            if field.deprecated {
                w.line("private var \(storage): \(type)")
                w.doc(Self.documentation(field))
                w.line("@available(*, deprecated)")
                w.block("\(context.access) var \(SwiftNames.identifier(field.name)): \(type)") { w in
                    w.line("get { \(storage) }")
                    w.line("set { \(storage) = newValue }")
                }
            } else {
                w.doc(Self.documentation(field))
                w.line("\(context.access) var \(storage): \(type)")
            }
        }
    }

    /// A field's doc comment: the contract's `doc`, or which field it is; then its data rules and
    /// tags, which a reader of the generated type should see where the property is.
    static func documentation(_ field: CheckedField) -> String {
        var text = field.doc ?? "The contract's `\(field.name)` field."
        let rules = field.rules.written
        if !rules.isEmpty {
            text += "\n\nData rules (`validate()` checks them): " + rules.map { "`\($0.rule.rawValue): \($0.value)`" }.joined(separator: ", ") + "."
        }
        if !field.tags.isEmpty {
            text += "\n\nTagged " + field.tags.map { "`\($0)`" }.joined(separator: ", ") + "."
        }
        return text
    }

    /// An optional stored property is spelled `Optional<T>`, not `T?`: a stored `var x: T?` is
    /// implicitly initialised to nil, and with that initial value the optimiser (Swift 6.3) built
    /// the record in the initialiser and copied it out, a retain and a release of every
    /// reference it holds: 250 of the 3,500 instructions of decoding PaymentCompleted from JSON
    /// (callgrind), 7% of the time.
    private func storedTypeName(_ type: TypeExpression) -> String {
        guard case .optional(let wrapped) = type else { return context.typeName(type) }
        return "Optional<\(context.typeName(wrapped))>"
    }

    /// Parameters default to the contract's defaults (nil for optional fields).
    func renderInit(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        let parameters = fields.map { field in
            "\(SwiftNames.argumentLabel(field.name)): \(context.typeName(field.type))" + (context.fallback(field).map { " = \($0)" } ?? "")
        }
        w.line("/// A value with each field given; a field left out takes the contract's default (an optional one, nil).")
        w.block("\(context.access) init(\(parameters.joined(separator: ", ")))") { w in
            for field in fields { w.line("self.\(context.storageName(field)) = \(SwiftNames.identifier(field.name))") }
        }
    }
}

/// A record under `types:`: a nested struct with its field names, fields and field coding.
struct RecordGenerator {
    let context: GenerationContext

    func render(_ type: CheckedType, _ w: inout SwiftWriter) {
        w.doc(type.doc ?? "The contract's `\(type.name)` record.")
        w.block("\(context.access) struct \(SwiftNames.identifier(type.name)): EventRecord") { w in
            SchemaGenerator(context: context).renderFieldNames(type.fields, &w)
            w.line()
            FieldGenerator(context: context).renderStorage(type.fields, &w)
            w.line()
            FieldGenerator(context: context).renderInit(type.fields, &w)
            w.line()
            DecoderGenerator(context: context).render(type.fields, &w)
            w.line()
            EncoderGenerator(context: context).render(type.fields, &w)
            ValidatorGenerator(context: context).render(type.fields, &w)
        }
    }
}

/// An enum under `types:`: a `String`-backed enum with its symbols' table and its default.
struct EnumGenerator {
    let context: GenerationContext

    func render(_ type: CheckedType, _ w: inout SwiftWriter) {
        guard case .enumeration(let symbols, let defaultSymbol) = type.kind else { return }
        let access = context.access
        w.doc(type.doc ?? "The contract's `\(type.name)` enum.")
        w.block("\(access) enum \(SwiftNames.identifier(type.name)): String, EventEnum") { w in
            for symbol in symbols {
                w.doc("The symbol `\(symbol)`.")
                w.line("case \(SwiftNames.identifier(symbol)) = \(SwiftLiteral.string(symbol))")
            }
            w.line()
            w.line("/// The symbols in declaration order: Avro writes a symbol as its position here.")
            w.line("\(access) static let _symbols = EventNames(\(symbols.map(SwiftLiteral.string).joined(separator: ", ")))")
            if let defaultSymbol {
                w.doc("A symbol this code does not know reads as `\(defaultSymbol)`, the enum's default.")
            } else {
                w.doc("A symbol this code does not know is an error: the enum has no default.")
            }
            w.line("\(access) static let _defaultSymbol: Int? = \(defaultSymbol.flatMap(symbols.firstIndex(of:)).map(String.init) ?? "nil")")
            w.line()
            w.line("/// The case at `index` in `_symbols` (the decoders pass only positions they found there).")
            w.block("\(access) init(_symbolIndex index: Int)") { w in
                w.line("switch index {")
                for (index, symbol) in symbols.enumerated() {
                    w.line("\(index == symbols.count - 1 ? "default" : "case \(index)"): self = .\(SwiftNames.identifier(symbol))")
                }
                w.line("}")
            }
            w.line()
            w.line("/// The case's position in `_symbols`.")
            w.block("\(access) var _symbolIndex: Int") { w in
                w.line("switch self {")
                for (index, symbol) in symbols.enumerated() { w.line("case .\(SwiftNames.identifier(symbol)): \(index)") }
                w.line("}")
            }
        }
    }
}
