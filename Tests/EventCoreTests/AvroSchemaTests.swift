@testable import EventCore
import Foundation
import Testing

@Suite("Avro schemas")
struct AvroSchemaTests {
    @Test("named types are defined once and referenced by name, with namespaces inherited; logical types are read")
    func parsing() throws {
        let schema = try AvroSchema(json: """
            {"type":"record","name":"A","namespace":"x.y","fields":[
              {"name":"e","type":{"type":"enum","name":"E","symbols":["a","b"],"default":"b"}},
              {"name":"again","type":"E"},
              {"name":"full","type":"x.y.E"},
              {"name":"t","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
              {"name":"bad","type":{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}},
              {"name":"other","type":{"type":"string","logicalType":"something-else"}},
              {"name":"f","type":{"type":"fixed","name":"F","namespace":"z","size":16}},
              {"name":"u","type":["null",{"type":"array","items":"z.F"}]}
            ]}
            """)
        guard case .record(let record) = schema else { Issue.record("not a record"); return }
        #expect(record.name.fullName == "x.y.A")
        let enumeration = AvroSchema.enumeration(AvroEnum(name: AvroName(name: "E", namespace: "x.y"), symbols: ["a", "b"], defaultSymbol: "b"))
        #expect(record.fields.map(\.type).prefix(3).allSatisfy { $0 == enumeration })
        #expect(record.fields[3].type == .long(.timestampMicros))
        #expect(record.fields[4].type == .bytes(.decimal(precision: 10, scale: 2)))
        #expect(record.fields[5].type == .bytes(nil), "an invalid decimal is ignored, as the specification says")
        #expect(record.fields[6].type == .string(nil))
        guard case .union(let branches) = record.fields[8].type, case .array(.fixed(let fixed)) = branches[1] else {
            Issue.record("\(record.fields[8].type)")
            return
        }
        #expect(fixed.name.fullName == "z.F" && fixed.size == 16)
    }

    @Test("bad schemas are refused with where and why", arguments: [
        (#"{"type":"record","name":"A","fields":[{"name":"next","type":["null","A"]}]}"#, "recursive"),
        (#"{"type":"record","name":"A","fields":[{"name":"x","type":"Nope"}]}"#, "unknown type 'Nope'"),
        (#"["null","null"]"#, "twice"),
        (#"["null",["int"]]"#, "a union cannot hold a union"),
        (#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"x","type":"int"}]}"#, "declared twice"),
        (#"{"type":"enum","name":"E","symbols":["a","a"]}"#, "distinct"),
        (#"{"type":"enum","name":"E","symbols":["a"],"default":"b"}"#, "not one of its symbols"),
        (#"{"type":"record","name":"1A","fields":[]}"#, "not a valid Avro name"),
        (#"{"type":"record","name":"A","fields":[{"name":"x","type":{"type":"record","name":"A","fields":[]}}]}"#, "twice"),
        (#"{"type":"array"}"#, "needs \"items\""),
        ("{not json", "not JSON"),
    ])
    func refused(_ text: String, _ expected: String) {
        do {
            _ = try AvroSchema(json: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("Parsing Canonical Form keeps only what parsing needs, in Avro's order, with full names; the fingerprint is CRC-64-AVRO")
    func canonicalForm() throws {
        let schema = try AvroSchema(json: """
            {"doc":"d","fields":[{"name":"f","aliases":["g"],"default":3,"type":{"logicalType":"timestamp-nanos","type":"long"}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["a","b"],"default":"a"}},{"name":"e2","type":"E"},
              {"name":"m","type":{"type":"map","values":["null",{"type":"fixed","name":"F","size":16}]}}],
             "namespace":"x.y","type":"record","name":"A"}
            """)
        // fastavro's `to_parsing_canonical_form` and `fingerprint(…, "CRC-64-AVRO")` give these.
        #expect(schema.parsingCanonicalForm == #"{"name":"x.y.A","type":"record","fields":[{"name":"f","type":"long"},{"name":"e","type":{"name":"x.y.E","type":"enum","symbols":["a","b"]}},{"name":"e2","type":"x.y.E"},{"name":"m","type":{"type":"map","values":["null",{"name":"x.y.F","type":"fixed","size":16}]}}]}"#)
        // Avro's own `"null"` fingerprint (Python avro: 8a8f25cce724dd63, little-endian).
        #expect(AvroSchema.null.fingerprint == 7_195_948_357_588_979_594)
    }
}

@Suite("Read plans")
struct ReadPlanTests {
    static let uuidText = AvroCodingTests.uuidText
    /// The fields SampleRecord requires, in a writer's schema, and bytes for them.
    static let required = #"{"name":"id","type":"string"},{"name":"key","type":{"type":"string","logicalType":"uuid"}},{"name":"at","type":"long"},{"name":"inner","type":{"type":"record","name":"I","fields":[{"name":"x","type":"int"}]}}"#
    static func requiredBytes(id: String = "w") -> [UInt8] { avroString(id) + avroString(uuidText) + zigzag(5) + zigzag(9) }

    static func writer(_ fields: String) -> String { #"{"type":"record","name":"Old","fields":["# + fields + "]}" }

    @Test("the writer's fields in any order; the reader's missing ones take defaults; unknown ones are skipped, of every shape")
    func fieldsResolved() throws {
        let schema = Self.writer(
            #"{"name":"extra","type":{"type":"map","values":{"type":"array","items":["null",{"type":"record","name":"X","fields":[{"name":"q","type":"double"}]}]}}},"# + Self.required
                + #",{"name":"gone","type":{"type":"fixed","name":"G","size":3}},{"name":"kind","type":{"type":"enum","name":"K","symbols":["huge","tiny"]}}"#)
        let bytes = zigzag(1) + avroString("m") + zigzag(1) + [0x02] + [0, 0, 0, 0, 0, 0, 0xF0, 0x3F] + [0] + [0]
            + Self.requiredBytes() + [1, 2, 3] + zigzag(1)
        let value = try SampleRecord.read(avro: bytes, writerSchema: schema)
        #expect(value.id == "w" && value.key == UUID(uuidString: Self.uuidText) && value.at == Timestamp(secondsSince1970: 0, nanoseconds: 5))
        #expect(value.inner == .init(x: 9, y: "none"))
        #expect(value.kind == .small, "'tiny' is no reader symbol: the reader's default")
        #expect(value.count == 0 && value.tags == [] && value.note == nil && value.label == "plain")
        let huge = try SampleRecord.read(avro: Array(bytes.dropLast()) + zigzag(0), writerSchema: schema)
        #expect(huge.kind == .huge, "symbols map by name, not position")
    }

    @Test("promotions: int → long → float → double, string ↔ bytes; and a writer's union read as the reader's plain type")
    func promotions() throws {
        let schema = Self.writer(
            #"{"name":"id","type":"bytes"},{"name":"big","type":"int"},{"name":"ratio","type":"long"},{"name":"score","type":"float"},{"name":"data","type":"string"},"#
                + #"{"name":"key","type":["null",{"type":"string","logicalType":"uuid"}]},{"name":"at","type":"long"},{"name":"inner","type":{"type":"record","name":"I","fields":[{"name":"x","type":"int"}]}},"#
                + #"{"name":"note","type":"string"},{"name":"count","type":["int","string"]}"#)
        let bytes = avroString("b") + zigzag(-3) + zigzag(7) + [0, 0, 0xC0, 0x3F] + avroString("z") + [0x02] + avroString(Self.uuidText)
            + zigzag(1) + zigzag(2) + avroString("n") + [0x00] + zigzag(-4)
        let value = try SampleRecord.read(avro: bytes, writerSchema: schema)
        #expect(value.id == "b" && value.big == -3 && value.ratio == 7 && value.score == 1.5 && value.data == [0x7A])
        #expect(value.note == "n" && value.count == -4)
        // The same union with its other branch: a string where the reader wants an int.
        do {
            _ = try SampleRecord.read(avro: Array(bytes.dropLast(2)) + [0x02] + avroString("4"), writerSchema: schema)
            Issue.record("a string read as an int")
        } catch let error as EventDecodingError {
            #expect(error.path == "count" && error.kind == .wrongType && error.message.contains("string"))
        }
        // The writer's null where the reader requires a value.
        let withNullKey = avroString("b") + zigzag(-3) + zigzag(7) + [0, 0, 0xC0, 0x3F] + avroString("z") + [0x00] + zigzag(1) + zigzag(2) + avroString("n") + [0x00] + zigzag(-4)
        do {
            _ = try SampleRecord.read(avro: withNullKey, writerSchema: schema)
            Issue.record("null read as a uuid")
        } catch let error as EventDecodingError {
            #expect(error.path == "key" && error.message.contains("null"))
        }
    }

    @Test("logical types convert from the writer's unit and scale: timestamp millis and micros, decimals at any scale, on bytes or fixed")
    func logicalTypes() throws {
        let schema = Self.writer(
            #"{"name":"id","type":"string"},{"name":"key","type":{"type":"fixed","name":"U","size":16}},{"name":"inner","type":{"type":"record","name":"I","fields":[{"name":"x","type":"long"}]}},"#
                + #"{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"amount","type":{"type":"fixed","name":"D","size":3,"logicalType":"decimal","precision":6,"scale":2}}"#)
        let uuid = UUID(uuidString: Self.uuidText)!
        let uuidBytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        let bytes = avroString("i") + uuidBytes + zigzag(1) + zigzag(-1) + [0xFF, 0xFF, 0x85]  // -123 → -1.23
        let value = try SampleRecord.read(avro: bytes, writerSchema: schema)
        #expect(value.key == uuid && value.at == Timestamp(secondsSince1970: -1, nanoseconds: 999_000_000) && value.amount.text == "-1.23")
        let micros = schema.replacingOccurrences(of: "timestamp-millis", with: "timestamp-micros")
        #expect(try SampleRecord.read(avro: bytes, writerSchema: micros).at == Timestamp(secondsSince1970: -1, nanoseconds: 999_999_000))
    }

    @Test("a reader field without a default that the writer lacks: no data of that writer reads, and the error names the field")
    func refusal() throws {
        let schema = Self.writer(#"{"name":"id","type":"string"}"#)
        let plan = ReadPlan(writer: try AvroSchema(json: schema), reader: try AvroSchema(json: SampleRecord.schema))
        #expect(plan.refusal?.contains("'key'") == true)
        do {
            _ = try SampleRecord.read(avro: avroString("x"), writerSchema: schema)
            Issue.record("read without a required field")
        } catch let error as EventDecodingError {
            #expect(error.kind == .missingField && error.path == "key")
        }
    }

    @Test("a writer's type the reader cannot take is an error at that field, with both types named")
    func mismatches() throws {
        let schema = Self.writer(Self.required + #",{"name":"tags","type":"long"},{"name":"kind","type":"string"}"#)
        do {
            _ = try SampleRecord.read(avro: Self.requiredBytes() + zigzag(1) + avroString("small"), writerSchema: schema)
            Issue.record("a long read as an array")
        } catch let error as EventDecodingError {
            #expect(error.path == "tags" && error.kind == .wrongType && error.message.contains("long"))
        }
    }

    @Test("the identity plan is marked identity; one of another shape is not")
    func identity() throws {
        let reader = try AvroSchema(json: SampleRecord.schema)
        #expect(ReadPlan(writer: reader, reader: reader).isIdentity)
        #expect(!ReadPlan(writer: try AvroSchema(json: Self.writer(Self.required)), reader: reader).isIdentity)
    }
}
