import ContractChecker
import Foundation
import Testing

@testable import eventc

@Suite("eventc export avro")
struct ExportAvroCommandTests {
    static let contract = """
        event: PaymentCompleted
        namespace: pay-ments
        owner: o
        summary: Paid.
        topic: t
        key: id
        types:
          Money: { kind: record, fields: { amount: { type: decimal, default: "-1.5" } } }
          Method: { kind: enum, symbols: [card, cash], default: card }
        versions:
          - version: 1
            fields:
              id: uuid
              at: { type: timestamp, default: "1970-01-02T00:00:00.250+01:00" }
              day: { type: date, default: "1970-01-11" }
              total: Money
              method: { type: Method?, default: cash }
              note: string?
              raw: { type: bytes, default: "AP8=" }
              tags: { type: "map<array<int>>", default: { a: [1] } }
              previous: { type: Money?, aliases: [prior] }

        """

    @Test("writes one schema per version with logical types, null-first unions and converted defaults")
    func exportsSchemas() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-avro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("c"), withIntermediateDirectories: true)
        try Data(Self.contract.utf8).write(to: root.appendingPathComponent("c/P.yaml"))
        let outcome = ExportSchemasRun(language: .avro, paths: [root.appendingPathComponent("c").path], output: root.appendingPathComponent("out").path).execute()
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        let url = root.appendingPathComponent("out/pay-ments/PaymentCompleted.v1.avsc")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(schema["namespace"] as? String == "pay_ments")
        let fields = try #require(schema["fields"] as? [[String: Any]])
        func field(_ name: String) -> [String: Any] { fields.first { $0["name"] as? String == name } ?? [:] }
        #expect((field("id")["type"] as? [String: Any])?["logicalType"] as? String == "uuid")
        // 1 day + 0.25 s − 1 h, in nanoseconds (timestamp-nanos: no digit lost)
        #expect(field("at")["default"] as? Int == (86_400_000 + 250 - 3_600_000) * 1_000_000)
        #expect((field("at")["type"] as? [String: Any])?["logicalType"] as? String == "timestamp-nanos")
        #expect(field("day")["default"] as? Int == 10)
        let money = try #require(field("total")["type"] as? [String: Any])
        let amount = try #require((money["fields"] as? [[String: Any]])?.first)
        #expect((amount["type"] as? [String: Any])?["scale"] as? Int == 18)
        // −1.5 × 10^18 in two's complement, as Avro's bytes-as-string default.
        let expected = Self.twosComplement(-1_500_000_000_000_000_000)
        #expect((amount["default"] as? String).map { Array($0.unicodeScalars.map { UInt8($0.value) }) } == expected)
        let method = try #require(field("method")["type"] as? [Any])
        #expect((method[0] as? [String: Any])?["default"] as? String == "card")
        #expect(method[1] as? String == "null", "a non-null default puts the value's branch first")
        #expect(field("method")["default"] as? String == "cash")
        #expect(field("note")["type"] as? [String] == ["null", "string"])
        #expect(field("note")["default"] is NSNull)
        #expect(field("raw")["default"] as? String == "\u{0}\u{FF}")
        #expect(field("previous")["type"] as? [String] == ["null", "Money"], "a named type is defined once, then referenced")
        #expect(field("previous")["aliases"] as? [String] == ["prior"])
    }

    @Test("contracts with errors are not exported")
    func refusesBrokenContracts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-avro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("event: x\n".utf8).write(to: root.appendingPathComponent("Bad.yaml"))
        let outcome = ExportSchemasRun(language: .avro, paths: [root.path], output: root.appendingPathComponent("out").path).execute()
        #expect(outcome.exitCode == 1)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    static func twosComplement(_ value: Int64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian, Array.init)
        while bytes.count > 1, (bytes[0] == 0xFF && bytes[1] & 0x80 != 0) || (bytes[0] == 0 && bytes[1] & 0x80 == 0) {
            bytes.removeFirst()
        }
        return bytes
    }
}
