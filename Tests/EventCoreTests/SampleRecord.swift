@testable import EventCore
import Foundation

/// A record written the way `eventc generate` writes one (every contract type once), so the
/// runtime's formats can be tested without the generator.
struct SampleRecord: EventRecord {
    static let _fields = EventNames(
        "id", "count", "big", "ratio", "score", "flag", "data", "amount", "key", "at", "day", "kind", "inner", "tags", "attrs", "note",
        "label")

    var id: String
    var count: Int32
    var big: Int64
    var ratio: Float
    var score: Double
    var flag: Bool
    var data: [UInt8]
    var amount: ExactDecimal
    var key: UUID
    var at: Timestamp
    var day: LocalDate
    var kind: Kind
    var inner: Inner
    var tags: [String]
    var attrs: [String: [Int64?]]
    var note: String?
    /// An optional whose default is a value: its union puts the value first.
    var label: String?

    /// The reader's schema: what `eventc export avro` would write for this shape.
    static let schema = #"""
        {"type":"record","name":"Sample","namespace":"tests","fields":[
          {"name":"id","type":"string"},
          {"name":"count","type":"int","default":0},
          {"name":"big","type":"long","default":0},
          {"name":"ratio","type":"float","default":0},
          {"name":"score","type":"double","default":0},
          {"name":"flag","type":"boolean","default":false},
          {"name":"data","type":"bytes","default":""},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":18},"default":"\u0000"},
          {"name":"key","type":{"type":"string","logicalType":"uuid"}},
          {"name":"at","type":{"type":"long","logicalType":"timestamp-nanos"}},
          {"name":"day","type":{"type":"int","logicalType":"date"},"default":0},
          {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["small","large","huge"],"default":"small"},"default":"small"},
          {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"long"},{"name":"y","type":"string","default":"none"}]}},
          {"name":"tags","type":{"type":"array","items":"string"},"default":[]},
          {"name":"attrs","type":{"type":"map","values":{"type":"array","items":["null","long"]}},"default":{}},
          {"name":"note","type":["null","string"],"default":null},
          {"name":"label","type":["string","null"],"default":"plain"}
        ]}
        """#

    static let schemas = EventSchemaSet(schema)

    enum Kind: String, EventEnum {
        case small, large, huge
        static let _symbols = EventNames("small", "large", "huge")
        static let _defaultSymbol: Int? = 0
        init(_symbolIndex index: Int) {
            switch index {
            case 0: self = .small
            case 1: self = .large
            default: self = .huge
            }
        }
        var _symbolIndex: Int {
            switch self {
            case .small: 0
            case .large: 1
            case .huge: 2
            }
        }
    }

    struct Inner: EventRecord {
        static let _fields = EventNames("x", "y")
        var x: Int64
        var y: String

        init(x: Int64, y: String = "none") {
            self.x = x
            self.y = y
        }

        init<D: EventDecoder & ~Copyable>(from decoder: inout D) throws(EventDecodingError) {
            var field0: Int64? = nil
            var field1: String? = nil
            try decoder.fields { decoder, field throws(EventDecodingError) in
                switch field {
                case 0: field0 = try decoder.long()
                default: field1 = try decoder.string()
                }
            }
            self.init(x: try decoder.required(field0.take(), "x"), y: field1.take() ?? "none")
        }

        func traverse<E: EventEncoder & ~Copyable>(_ encoder: inout E) throws(EventEncodingError) {
            encoder.field(0)
            encoder.long(self.x)
            encoder.field(1)
            encoder.string(self.y)
        }
    }

    init(
        id: String, count: Int32 = 0, big: Int64 = 0, ratio: Float = 0, score: Double = 0, flag: Bool = false, data: [UInt8] = [],
        amount: ExactDecimal = "0", key: UUID, at: Timestamp, day: LocalDate = LocalDate(daysSince1970: 0), kind: Kind = .small,
        inner: Inner, tags: [String] = [], attrs: [String: [Int64?]] = [:], note: String? = nil, label: String? = "plain"
    ) {
        self.id = id
        self.count = count
        self.big = big
        self.ratio = ratio
        self.score = score
        self.flag = flag
        self.data = data
        self.amount = amount
        self.key = key
        self.at = at
        self.day = day
        self.kind = kind
        self.inner = inner
        self.tags = tags
        self.attrs = attrs
        self.note = note
        self.label = label
    }

    init<D: EventDecoder & ~Copyable>(from decoder: inout D) throws(EventDecodingError) {
        var field0: String? = nil
        var field1: Int32? = nil
        var field2: Int64? = nil
        var field3: Float? = nil
        var field4: Double? = nil
        var field5: Bool? = nil
        var field6: [UInt8]? = nil
        var field7: ExactDecimal? = nil
        var field8: UUID? = nil
        var field9: Timestamp? = nil
        var field10: LocalDate? = nil
        var field11: Kind? = nil
        var field12: Inner? = nil
        var field13: [String]? = nil
        var field14: [String: [Int64?]]? = nil
        var field15: String?? = nil
        var field16: String?? = nil
        try decoder.fields { decoder, field throws(EventDecodingError) in
            switch field {
            case 0: field0 = try decoder.string()
            case 1: field1 = try decoder.int()
            case 2: field2 = try decoder.long()
            case 3: field3 = try decoder.float()
            case 4: field4 = try decoder.double()
            case 5: field5 = try decoder.bool()
            case 6: field6 = try decoder.byteString()
            case 7: field7 = try decoder.decimal()
            case 8: field8 = try decoder.uuid()
            case 9: field9 = try decoder.timestamp()
            case 10: field10 = try decoder.date()
            case 11: field11 = try decoder.enumeration(Kind.self)
            case 12: field12 = try decoder.record(Inner.self)
            case 13: field13 = try decoder.array { decoder throws(EventDecodingError) in try decoder.string() }
            case 14:
                field14 = try decoder.map { decoder throws(EventDecodingError) in
                    try decoder.array { decoder throws(EventDecodingError) in try decoder.optional { decoder throws(EventDecodingError) in try decoder.long() } }
                }
            case 15: field15 = .some(try decoder.optional { decoder throws(EventDecodingError) in try decoder.string() })
            default: field16 = .some(try decoder.optional { decoder throws(EventDecodingError) in try decoder.string() })
            }
        }
        self.init(
            id: try decoder.required(field0.take(), "id"), count: field1.take() ?? 0, big: field2.take() ?? 0, ratio: field3.take() ?? 0,
            score: field4.take() ?? 0, flag: field5.take() ?? false, data: field6.take() ?? [], amount: field7.take() ?? "0",
            key: try decoder.required(field8.take(), "key"), at: try decoder.required(field9.take(), "at"),
            day: field10.take() ?? LocalDate(daysSince1970: 0), kind: field11.take() ?? .small, inner: try decoder.required(field12.take(), "inner"),
            tags: field13.take() ?? [], attrs: field14.take() ?? [:], note: field15.take() ?? nil, label: field16.take() ?? "plain")
    }

    func traverse<E: EventEncoder & ~Copyable>(_ encoder: inout E) throws(EventEncodingError) {
        encoder.field(0)
        encoder.string(self.id)
        encoder.field(1)
        encoder.int(self.count)
        encoder.field(2)
        encoder.long(self.big)
        encoder.field(3)
        try encoder.float(self.ratio)
        encoder.field(4)
        try encoder.double(self.score)
        encoder.field(5)
        encoder.bool(self.flag)
        encoder.field(6)
        encoder.byteString(self.data)
        encoder.field(7)
        try encoder.decimal(self.amount)
        encoder.field(8)
        encoder.uuid(self.key)
        encoder.field(9)
        try encoder.timestamp(self.at)
        encoder.field(10)
        encoder.date(self.day)
        encoder.field(11)
        encoder.enumeration(self.kind)
        encoder.field(12)
        try encoder.record(self.inner)
        encoder.field(13)
        try encoder.array(self.tags) { encoder, value0 throws(EventEncodingError) in encoder.string(value0) }
        encoder.field(14)
        try encoder.map(self.attrs) { encoder, value0 throws(EventEncodingError) in
            try encoder.array(value0) { encoder, value1 throws(EventEncodingError) in
                try encoder.optional(value1) { encoder, value2 throws(EventEncodingError) in encoder.long(value2) }
            }
        }
        encoder.field(15)
        try encoder.optional(self.note) { encoder, value0 throws(EventEncodingError) in encoder.string(value0) }
        encoder.field(16)
        try encoder.optional(self.label, nullFirst: false) { encoder, value0 throws(EventEncodingError) in encoder.string(value0) }
    }

    static let example = SampleRecord(
        id: "s-1", count: -7, big: Int64.min, ratio: 0.5, score: -2.25, flag: true, data: [0, 1, 0xFF], amount: "-12.5",
        key: UUID(uuidString: "0f4a2c4e-9a1b-4d2c-8e3f-112233445566")!, at: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 123_456_789),
        day: LocalDate(uncheckedYear: 2024, month: 2, day: 29), kind: .large, inner: Inner(x: 64, y: "héllo"), tags: ["a", "", "ü"],
        attrs: ["z": [1, nil, -1], "a": []], note: "a note", label: nil)

    /// Writes the record in Avro binary.
    func avro() throws -> [UInt8] {
        var writer = AvroWriter()
        try writer.record(self)
        return writer.bytes
    }

    /// Reads Avro written with `writerSchema` (the reader's own when nil).
    static func read(avro bytes: [UInt8], writerSchema: String? = nil) throws -> SampleRecord {
        let plan = ReadPlan(writer: try AvroSchema(json: writerSchema ?? schema), reader: try AvroSchema(json: schema))
        return try bytes.withUnsafeBytes { raw in
            try AvroReader.withReader(raw, plan: plan) { (reader) throws(EventDecodingError) -> SampleRecord in
                let value = try SampleRecord(from: &reader)
                try reader.end()
                return value
            }
        }
    }
}

/// Avro's encoding of `value` as a `long` (and an `int`): zig-zag, then a varint.
func zigzag(_ value: Int64) -> [UInt8] {
    var raw = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    var bytes: [UInt8] = []
    while raw >= 0x80 {
        bytes.append(UInt8(raw & 0x7F) | 0x80)
        raw >>= 7
    }
    return bytes + [UInt8(raw)]
}

/// Avro's encoding of a string.
func avroString(_ text: String) -> [UInt8] { zigzag(Int64(text.utf8.count)) + Array(text.utf8) }
