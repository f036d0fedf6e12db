import ContractChecker
import ContractModel

/// The decoders: `decode(from:version:)` dispatching on the version a record was written with,
/// one decoder per published version that reads its data into the newest shape, and the record
/// types' decoders those need (one per writer shape). The state machine that reads an object is
/// the runtime's (`JSONReader.readObject`); a decoder here declares the members its writer wrote,
/// in the writer's order (`JSONNames`), and says what each becomes.
struct DecoderGenerator {
    let context: GenerationContext
    /// Record decoders still to write, in the order they were first needed.
    private var pending: [RecordDecoder] = []
    /// One decoder per (reader type, writer shape): versions whose record reads and writes the
    /// same JSON (a shared type, or identical per-version copies) share the first one's decoder.
    private var decoders: [DecoderKey: RecordDecoder] = [:]

    init(context: GenerationContext) { self.context = context }

    private struct DecoderKey: Hashable {
        var reader: String
        var writerShape: String
    }

    /// A record decoder: the newest record `reader`, read from the record `writer` of `version`.
    private struct RecordDecoder: Hashable {
        var reader: String
        var version: Int
        var writer: String
        var functionName: String { "_decodeV\(version)From\(writer)" }
        var membersName: String { "_v\(version)From\(writer)Members" }
    }

    /// Inside the event struct: the version dispatch and a decoder per version.
    mutating func renderEventDecoders(_ w: inout SwiftWriter) {
        let (contract, latest) = (context.contract, context.latest)
        w.block("\(context.access) static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self") { w in
            w.line("switch version {")
            for version in contract.versions {
                w.line("case \(version.number): try _decodeV\(version.number)(from: &reader, path: \"\")")
            }
            w.line("default:")
            w.line("    // Newer than this code: read with the current shape, unknown fields skipped.")
            w.line("    try _decodeV\(latest.number)(from: &reader, path: \"\")")
            w.line("}")
        }
        for version in contract.versions {
            w.line()
            renderDecoder(
                reader: latest.fields, writer: version.fields, writerVersion: version, name: "_decodeV\(version.number)",
                membersName: "_v\(version.number)Members", &w)
        }
    }

    /// After the event struct: the record decoders the event's decoders use (and theirs, in
    /// turn), in extensions of the newest record types.
    mutating func renderRecordDecoders(_ w: inout SwiftWriter) {
        var index = 0
        while index < pending.count {
            let decoder = pending[index]
            index += 1
            guard let readerType = context.latest.type(named: decoder.reader), let version = context.contract.version(decoder.version)
            else { continue }
            w.line()
            w.block("extension \(context.event).\(SwiftNames.identifier(decoder.reader))") { w in
                renderDecoder(
                    reader: readerType.fields, writer: version.type(named: decoder.writer)?.fields ?? [], writerVersion: version,
                    name: decoder.functionName, membersName: decoder.membersName, &w)
            }
        }
    }

    /// A decoder for data written as `writer` (by `writerVersion`) into the newest shape
    /// `reader`: fields matched by name or the reader's aliases, fallbacks for the rest.
    private mutating func renderDecoder(
        reader: [CheckedField], writer: [CheckedField], writerVersion: CheckedVersion, name: String, membersName: String,
        _ w: inout SwiftWriter
    ) {
        let signature = "static func \(name)(from reader: inout JSONReader, path: @autoclosure () -> String) throws(EventDecodingError) -> Self"
        // For each reader field, the writer field it is read from (by name, then by alias).
        let sources: [Int?] = reader.map { field in
            writer.firstIndex { $0.name == field.name } ?? field.aliases.lazy.compactMap { alias in writer.firstIndex { $0.name == alias } }.first
        }
        // A required field the writer never carried: that version's data cannot become this shape.
        if let missing = zip(reader, sources).first(where: { $1 == nil && $0.fallback == nil })?.0 {
            w.block(signature) { w in
                w.line("try reader.refuseVersion(\(writerVersion.number), missing: \(SwiftLiteral.string(missing.name)), path: path())")
            }
            return
        }
        // Members in the writer's order; the ones this shape does not read are skipped.
        let readerIndex: [Int: Int] = Dictionary(uniqueKeysWithValues: sources.enumerated().compactMap { reader, writer in writer.map { ($0, reader) } })
        w.line("private static let \(membersName) = JSONNames(\(writer.map { SwiftLiteral.string($0.name) }.joined(separator: ", ")))")
        w.line()
        w.block(signature) { w in
            for (index, field) in reader.enumerated() where sources[index] != nil {
                w.line("var field\(index): \(context.typeName(field.type))? = nil")
            }
            renderReadObject(writer: writer, readerIndex: readerIndex, reader: reader, writerVersion: writerVersion, membersName: membersName, &w)
            let arguments = reader.enumerated().map { index, field in
                "\(SwiftNames.argumentLabel(field.name)): " + argument(field, index: index, source: sources[index].map { writer[$0] })
            }
            w.line("return Self(")
            w.indented { w in
                for (position, argument) in arguments.enumerated() { w.line(argument + (position == arguments.count - 1 ? ")" : ",")) }
            }
            if arguments.isEmpty { w.line(")") }
        }
    }

    /// `reader.readObject(…) { reader, member in switch member { … } }`: each member read into
    /// its field's variable.
    private mutating func renderReadObject(
        writer: [CheckedField], readerIndex: [Int: Int], reader: [CheckedField], writerVersion: CheckedVersion, membersName: String,
        _ w: inout SwiftWriter
    ) {
        let read = writer.indices.filter { readerIndex[$0] != nil }
        guard !read.isEmpty else {
            w.line("try reader.readObject(\(membersName), path: path()) { reader, _ throws(EventDecodingError) in try reader.skipValue(path: path()) }")
            return
        }
        w.line("try reader.readObject(\(membersName), path: path()) { reader, member throws(EventDecodingError) in")
        w.indented { w in
            w.line("switch member {")
            // With every member read, the last one is the switch's default: no unreachable branch.
            let everyMemberRead = read.count == writer.count
            for member in read {
                guard let index = readerIndex[member] else { continue }
                let label = everyMemberRead && member == read.last ? "default" : "case \(member)"
                let path = "JSONReader.path(path(), \(SwiftLiteral.string(writer[member].name)))"
                let value = valueExpression(reader[index].type, writer[member].type, path: path, writerVersion: writerVersion, depth: 0)
                w.line("\(label): field\(index) = \(value)")
            }
            if !everyMemberRead { w.line("default: try reader.skipValue(path: path())") }
            w.line("}")
        }
        w.line("}")
    }

    /// The initialiser argument for a reader field: what was read, else its fallback, else an
    /// error naming the member the writer should have written.
    private func argument(_ field: CheckedField, index: Int, source: CheckedField?) -> String {
        let fallback = context.fallback(field)
        guard let source else { return fallback ?? "nil" }
        // `take()` moves each value into the event: passing the variable copied it (a retain, then
        // a release when the variable went out of scope), ~100 instructions of PaymentCompleted's decode.
        if let fallback { return "field\(index).take() ?? \(fallback)" }
        return "try reader.required(field\(index).take(), \(SwiftLiteral.string(source.name)), path: path())"
    }

    /// An expression that reads data written as `writerType` into `readerType`. Primitive
    /// promotions need nothing: JSON numbers read as the wider type directly.
    private mutating func valueExpression(
        _ readerType: TypeExpression, _ writerType: TypeExpression, path: String, writerVersion: CheckedVersion, depth: Int
    ) -> String {
        let writerInner = writerType.nonOptional
        switch readerType {
        case .optional(let wrapped):
            let inner = valueExpression(wrapped, writerInner, path: path, writerVersion: writerVersion, depth: depth + 1)
            return "try reader.readOptional { reader throws(EventDecodingError) in \(inner) }"
        case .primitive(let primitive):
            return "try reader.\(SwiftTypes.readMethod(primitive))(path: \(path))"
        case .named(let name):
            let type = "\(context.event).\(SwiftNames.identifier(name))"
            guard context.latest.type(named: name)?.isEnumeration == false else {
                return "try \(type)._decode(from: &reader, path: \(path))"
            }
            return "try \(type).\(recordDecoder(reading: name, writtenAs: writerInner, by: writerVersion).functionName)(from: &reader, path: \(path))"
        case .array(let element):
            let writerElement: TypeExpression = if case .array(let inner) = writerInner { inner } else { element }
            let index = "index\(depth)"
            let inner = valueExpression(
                element, writerElement, path: "JSONReader.path(\(path), index: \(index))", writerVersion: writerVersion, depth: depth + 1)
            return "try reader.readArray(path: \(path)) { reader, \(index) throws(EventDecodingError) in \(inner) }"
        case .map(let value):
            let writerValue: TypeExpression = if case .map(let inner) = writerInner { inner } else { value }
            let key = "key\(depth)"
            let inner = valueExpression(
                value, writerValue, path: "JSONReader.path(\(path), \(key))", writerVersion: writerVersion, depth: depth + 1)
            return "try reader.readMap(path: \(path)) { reader, \(key) throws(EventDecodingError) in \(inner) }"
        }
    }

    /// The decoder that reads the newest record `name` from what `writerVersion` wrote as
    /// `writerType`, noted to be written after the struct unless an equal one already is.
    private mutating func recordDecoder(reading name: String, writtenAs writerType: TypeExpression, by writerVersion: CheckedVersion) -> RecordDecoder {
        var decoder = RecordDecoder(reader: name, version: context.latest.number, writer: name)
        var shape = DecodingShape.describe(.named(name), in: context.latest)
        if case .named(let writerName) = writerType, case .record? = writerVersion.type(named: writerName)?.kind {
            decoder = RecordDecoder(reader: name, version: writerVersion.number, writer: writerName)
            shape = DecodingShape.describe(writerType, in: writerVersion)
        }
        let key = DecoderKey(reader: name, writerShape: shape)
        if let existing = decoders[key] { return existing }
        decoders[key] = decoder
        pending.append(decoder)
        return decoder
    }
}

/// What a writer's type looks like to a decoder: field names and types in order, named types
/// expanded. Two writer types with equal shapes are read by the same decoder.
enum DecodingShape {
    static func describe(_ type: TypeExpression, in version: CheckedVersion) -> String {
        var visiting: Set<String> = []
        return describe(type, in: version, visiting: &visiting)
    }

    private static func describe(_ type: TypeExpression, in version: CheckedVersion, visiting: inout Set<String>) -> String {
        switch type {
        case .primitive(let primitive): return primitive.rawValue
        case .array(let element): return "array<\(describe(element, in: version, visiting: &visiting))>"
        case .map(let value): return "map<\(describe(value, in: version, visiting: &visiting))>"
        case .optional(let wrapped): return describe(wrapped, in: version, visiting: &visiting) + "?"
        case .named(let name):
            guard let named = version.type(named: name), visiting.insert(name).inserted else { return name }
            defer { visiting.remove(name) }
            switch named.kind {
            case .enumeration(let symbols, _):
                return "enum{\(symbols.joined(separator: ","))}"
            case .record(let fields):
                return "{" + fields.map { "\($0.name): \(describe($0.type, in: version, visiting: &visiting))" }.joined(separator: ", ") + "}"
            }
        }
    }
}
