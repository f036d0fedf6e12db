import ContractChecker
import ContractCodegen
import EventCore
import Foundation
import GeneratedContracts
import Testing
import ToolTestSupport

/// The Avro wire format against independent implementations, for every version of every contract
/// in Contracts/: random values (seed printed) written by Apache Avro (Python) and by fastavro
/// with each version's exported schema, read by ours as every version (Avro's schema resolution
/// decides what each reader gets, and ours must get the same); and ours read by them, and by Avro
/// C's avrocat on a sample.
@Suite("Avro interoperability")
struct AvroInteropTests {
    static let python = ExternalTool.python(importing: ["avro.io", "fastavro"], environment: "EVENTC_AVRO_PYTHON")
    static let script = repositoryRoot.appendingPathComponent("Tests/GeneratedContractsTests/avro_interop.py").path

    struct Contract {
        let name: String
        let schemas: [AvroSchema]
        let json: [JSONValue]
        let type: any EventContract.Type
    }

    static func contracts() throws -> [Contract] {
        try CheckedFixtures.contracts(under: "Contracts").map { checked in
            let json = checked.versions.map { AvroSchemaExporter.schema(of: checked, version: $0) }
            return Contract(
                name: checked.event, schemas: try json.map { try AvroSchema(json: $0) }, json: json,
                type: try #require(JSONSchemaDifferentialTests.types[checked.event]))
        }
    }

    static func ask(_ python: String, _ request: JSONValue) async throws -> JSONValue {
        let output = try await ExternalTool.run(python, [script], input: Data(request.compact().utf8))
        return try JSONValue.parse(Array(output))
    }

    @Test(
        "values written by Apache Avro and fastavro with any version's schema read in ours as every version, as Avro resolves them; ours read back in theirs and in Avro C",
        .enabled(if: python != nil, "needs Python with 'avro' and 'fastavro' (.venv/bin/python or EVENTC_AVRO_PYTHON); .ci/run installs them"))
    func interoperates() async throws {
        let python = try #require(Self.python)
        let seed = ProcessInfo.processInfo.environment["EVENTC_INTEROP_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...(1 << 53))
        print("AvroInteropTests seed: \(seed) (rerun with EVENTC_INTEROP_SEED=\(seed))")
        let contracts = try Self.contracts()
        let generated = try await Self.ask(python, .object([
            ("mode", .string("generate")), ("seed", .number(String(seed))), ("count", .number("15")),
            ("contracts", .array(contracts.map { .object([("name", .string($0.name)), ("schemas", .array($0.json))]) })),
        ]))
        guard case .array(let cases)? = generated["cases"] else { Issue.record("no cases: \(generated.compact())"); return }
        var ours: [(schema: JSONValue, bytes: [UInt8], expected: JSONValue, reader: AvroSchema, what: String)] = []
        var resolved = 0
        for item in cases {
            let contract = try #require(contracts.first { $0.name == item["contract"]?.stringValue })
            let writer = try #require(Self.integer(item["writer"]))
            let bytes = try #require(Self.bytes(item["bytes"]))
            let what = "\(contract.name) written as v\(writer) (seed \(seed))"
            #expect(item["fastavroBytes"] == item["bytes"], "Apache Avro and fastavro wrote different bytes: \(what)")
            guard case .array(let readers)? = item["readers"] else { continue }
            for answer in readers {
                let reader = try #require(Self.integer(answer["reader"]))
                let plan = ReadPlan(writer: contract.schemas[writer - 1], reader: contract.schemas[reader - 1])
                let mine = Result { () throws(EventDecodingError) -> JSONValue in
                    try SchemaDrivenCoding.read(avro: bytes, writer: contract.schemas[writer - 1], reader: contract.schemas[reader - 1])
                }
                // Python's Apache Avro does not give a reader enum's default to a symbol it lacks
                // (the specification has said to since 1.9); fastavro does. Where only one reads
                // a pair, it is the referee.
                let theirs = answer["avro"]?["value"] != nil ? answer["avro"] : answer["fastavro"]
                if let expected = theirs?["value"] {
                    resolved += 1
                    switch mine {
                    case .success(let value):
                        #expect(Self.equivalent(value, expected, contract.schemas[reader - 1]), "\(what), read as v\(reader): ours \(value.compact()), Avro \(expected.compact())")
                    case .failure(let error):
                        Issue.record("\(what), read as v\(reader): Avro read it, ours failed: \(error)")
                    }
                    if let fast = answer["fastavro"]?["value"], let avro = answer["avro"]?["value"] {
                        #expect(Self.equivalent(fast, avro, contract.schemas[reader - 1]), "\(what), read as v\(reader): fastavro disagrees with Avro")
                    }
                } else if case .success(let value) = mine {
                    Issue.record("\(what), read as v\(reader): Avro refused it (\(theirs?["error"]?.compact() ?? "")), ours read \(value.compact())")
                }
                // The generated type reads as the newest version, as the processor does.
                if reader == contract.schemas.count, case .success(let expected) = mine {
                    let typed = try Self.typedRoundTrip(contract.type, bytes, plan)
                    #expect(Self.equivalent(typed.json, expected, contract.schemas[reader - 1]), "\(what): the generated decoder read \(typed.json.compact())")
                    ours.append((contract.json[reader - 1], typed.avro, expected, contract.schemas[reader - 1], "\(what): the generated encoder"))
                }
            }
            // Ours, written from the canonical JSON with the writer's schema: the bytes they wrote.
            let value = try #require(item["value"])
            var avro = AvroWriter()
            try SchemaDrivenCoding.write(value, as: contract.schemas[writer - 1], to: &avro)
            #expect(avro.bytes == bytes, "\(what): ours wrote \(avro.bytes), Avro \(bytes)")
            ours.append((contract.json[writer - 1], avro.bytes, value, contract.schemas[writer - 1], "\(what): the schema-driven encoder"))
        }
        #expect(resolved > 200, "only \(resolved) resolvable pairs")
        let sample = Array(ours.indices.filter { ours[$0].what.hasSuffix("generated encoder") }.prefix(40))
        let read = try await Self.ask(python, .object([
            ("mode", .string("read")), ("avrocat", .array(sample.map { .number(String($0)) })),
            ("cases", .array(ours.map { .object([("schema", $0.schema), ("bytes", .string($0.bytes.map { String(format: "%02x", $0) }.joined()))]) })),
        ]))
        guard case .array(let answers)? = read["answers"], answers.count == ours.count else { Issue.record("no answers: \(read.compact())"); return }
        for (index, answer) in answers.enumerated() {
            let (_, _, expected, schema, what) = ours[index]
            for reader in ["avro", "fastavro"] {
                if let value = answer[reader]?["value"] {
                    #expect(Self.equivalent(value, expected, schema), "\(what), read by \(reader): \(value.compact()), expected \(expected.compact())")
                } else {
                    Issue.record("\(what): \(reader) could not read ours: \(answer[reader]?.compact() ?? "")")
                }
            }
            if sample.contains(index), read["avrocat"] == .bool(true) {
                if let value = answer["avrocat"]?["value"] {
                    // avrocat prints bytes as a C string, cut at their first zero byte.
                    #expect(Self.equivalent(value, expected, schema, bytesMayBeCut: true), "\(what), read by Avro C: \(value.compact())")
                } else {
                    Issue.record("\(what): avrocat could not read ours: \(answer["avrocat"]?.compact() ?? "")")
                }
            }
        }
        if read["avrocat"] != .bool(true) { print("AvroInteropTests: avrocat (Debian's avro-bin) is not installed; Avro C was not asked") }
        print("AvroInteropTests: \(cases.count) values, \(resolved) (writer, reader) pairs resolved alike, \(ours.count) of ours read by Apache Avro and fastavro, \(read["avrocat"] == .bool(true) ? sample.count : 0) by Avro C")
    }

    /// The generated type's reading of `bytes`, as its canonical JSON, and its own Avro of it.
    static func typedRoundTrip<Event: EventContract>(_ type: Event.Type, _ bytes: [UInt8], _ plan: ReadPlan) throws -> (json: JSONValue, avro: [UInt8]) {
        let event = try bytes.withUnsafeBytes { raw in try Event.decode(avro: raw, plan: plan) }
        return (try JSONValue.parse(event.jsonBytes()), try event.avroBytes())
    }

    static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let text)? = value else { return nil }
        return Int(text)
    }

    static func bytes(_ value: JSONValue?) -> [UInt8]? {
        guard let hex = value?.stringValue, hex.utf8.count % 2 == 0 else { return nil }
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }

    /// Equal as values of `schema`: floats and doubles by their value (Python prints doubles,
    /// ours the shortest text of the type), everything else as written.
    static func equivalent(_ a: JSONValue, _ b: JSONValue, _ schema: AvroSchema, bytesMayBeCut: Bool = false) -> Bool {
        switch (schema, a, b) {
        case (.float, .number(let x), .number(let y)): return Float(x) == Float(y)
        case (.double, .number(let x), .number(let y)): return Double(x) == Double(y)
        case (.int, .number(let x), .number(let y)), (.long, .number(let x), .number(let y)): return Int64(x) == Int64(y)
        case (.bytes(nil), .string(let x), .string(let y)) where bytesMayBeCut:
            let (cut, whole) = (Base64.decode(x) ?? [], Base64.decode(y) ?? [])
            return cut == Array(whole.prefix { $0 != 0 })
        case (.union(let branches), _, _):
            if a == .null || b == .null { return a == b }
            return branches.contains { $0 != .null && equivalent(a, b, $0, bytesMayBeCut: bytesMayBeCut) }
        case (.array(let items), .array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equivalent($0, $1, items, bytesMayBeCut: bytesMayBeCut) }
        case (.map(let values), .object(let x), .object(let y)):
            let (left, right) = (Dictionary(x, uniquingKeysWith: { $1 }), Dictionary(y, uniquingKeysWith: { $1 }))
            return left.keys.sorted() == right.keys.sorted()
                && left.allSatisfy { key, value in right[key].map { equivalent(value, $0, values, bytesMayBeCut: bytesMayBeCut) } ?? false }
        case (.record(let record), .object, .object):
            return record.fields.allSatisfy { field in
                guard let x = a[field.name], let y = b[field.name] else { return false }
                return equivalent(x, y, field.type, bytesMayBeCut: bytesMayBeCut)
            }
        default:
            return a == b
        }
    }
}
