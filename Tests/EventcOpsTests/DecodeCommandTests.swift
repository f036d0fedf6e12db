import EventCore
import EventRuntime
import EventTestSupport
import EventcCommandLine
import Foundation
import GeneratedContracts
import Testing
import ToolTestSupport
@testable import eventc_ops

@Suite("eventc-ops decode")
struct DecodeCommandTests {
    private let contracts = repositoryRoot.appendingPathComponent("Contracts").path

    private var payment: PaymentCompleted {
        PaymentCompleted(
            orderId: "order-7", paymentId: UUID(uuidString: "39B96615-F2B3-4531-A570-0A7F517463A3") ?? UUID(),
            total: .init(amount: "19900.5", currency: "KRW"), capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 5),
            method: .wallet, note: "gift wrap", installments: 3)
    }

    /// What `eventc-ops decode` prints for `payload`, with its exit code and errors.
    private func decode(_ payload: [UInt8], event: String = "PaymentCompleted", version: Int? = nil,
                        format: ContractPayloads.Format? = nil, schemaTable: String? = nil) -> CommandOutcome {
        DecodeRun(contracts: contracts, event: event, version: version, format: format, schemaTable: schemaTable, file: nil, payload: payload).execute()
    }

    @Test("JSON, unframed Avro and Confluent-framed Avro of one event print the same canonical JSON, the generated encoder's")
    func everyFormat() throws {
        let json = String(decoding: try payment.jsonBytes(), as: UTF8.self) + "\n"
        let outcomes = [
            decode(try payment.jsonBytes()),
            decode(try payment.avroBytes(), version: 3, format: .avro),
            decode(try payment.recordValue()),  // sniffed: starts with Confluent's magic byte
            decode(try payment.recordValue(), format: .confluent),
        ]
        for outcome in outcomes {
            #expect(outcome.exitCode == EventcExit.clean, "\(outcome.errorOutput)")
            #expect(outcome.output == json)
        }
    }

    @Test("Avro carries a decimal's value, not its text: trailing zeros are not printed")
    func decimalValue() throws {
        var event = payment
        event.total.amount = "19900.500"
        #expect(decode(try event.jsonBytes()).output.contains(#""amount":"19900.500""#))
        #expect(decode(try event.recordValue()).output.contains(#""amount":"19900.5""#))
    }

    @Test("a Confluent payload written with an older version's schema prints as that version")
    func olderWriterSchema() throws {
        let schemas = try #require(PaymentCompleted.schemas)
        let v1 = schemas.versions[0]
        var writer = AvroWriter()
        let value = try JSONValue.parse(#"{"orderId":"o-1","paymentId":"39b96615-f2b3-4531-a570-0a7f517463a3","total":{"amount":"5","currency":"EUR"},"capturedAt":"2023-11-14T22:13:20Z"}"#)
        try SchemaDrivenCoding.write(value, as: v1.schema, to: &writer)
        var framed: [UInt8] = [ConfluentFrame.magicByte]
        let id = UInt32(bitPattern: v1.derivedId)
        for shift in [24, 16, 8, 0] as [UInt32] { framed.append(UInt8(truncatingIfNeeded: id >> shift)) }
        framed += writer.bytes
        let outcome = decode(framed)
        #expect(outcome.exitCode == EventcExit.clean, "\(outcome.errorOutput)")
        #expect(outcome.output == value.compact() + "\n")
    }

    @Test("a truncated Avro payload is refused with what it is not, the field and the offset")
    func truncated() throws {
        let bytes = Array(try payment.avroBytes().dropLast(3))
        let outcome = decode(bytes, version: 3, format: .avro)
        #expect(outcome.exitCode == EventcExit.findings)
        #expect(outcome.output.isEmpty)
        #expect(outcome.errorOutput.contains("standard input: the avro payload (\(bytes.count) bytes) is no PaymentCompleted v3"), "\(outcome.errorOutput)")
    }

    @Test("an unknown event, version or schema id says what there is")
    func unknownNames() throws {
        let unknownEvent = decode(try payment.jsonBytes(), event: "PaymentRefunded")
        #expect(unknownEvent.exitCode == EventcExit.findings)
        #expect(unknownEvent.errorOutput.contains("no contract for event 'PaymentRefunded'; the contracts have: "), "\(unknownEvent.errorOutput)")
        #expect(unknownEvent.errorOutput.contains("PaymentCompleted"))

        let unknownVersion = decode(try payment.jsonBytes(), version: 9)
        #expect(unknownVersion.errorOutput.contains("PaymentCompleted has no version 9; its versions are 1 to 3"), "\(unknownVersion.errorOutput)")

        let unknownId = decode([ConfluentFrame.magicByte, 0, 0, 0, 7, 2, 0x61])
        #expect(unknownId.exitCode == EventcExit.findings)
        #expect(unknownId.errorOutput.contains("is no PaymentCompleted"), "\(unknownId.errorOutput)")
        #expect(unknownId.errorOutput.contains("7"), "\(unknownId.errorOutput)")
    }

    @Test("a schema table that is not one is refused with its path, before any payload is read")
    func damagedSchemaTable() throws {
        let directory = temporaryDirectory()
        let table = directory + "/schemas.json"
        try Data(#"{"schemas": [{"id": "one"}]}"#.utf8).write(to: URL(fileURLWithPath: table))
        let outcome = decode(try payment.recordValue(), schemaTable: table)
        #expect(outcome.exitCode == EventcExit.usageOrIO)
        #expect(outcome.errorOutput.contains(table), "\(outcome.errorOutput)")
        #expect(outcome.errorOutput.contains("fix the table or leave it out"))
    }

    @Test("ids from a schema table name the writer's schema")
    func schemaTableIds() throws {
        let schemas = try #require(PaymentCompleted.schemas)
        let directory = temporaryDirectory()
        let table = directory + "/schemas.json"
        let entries = schemas.texts.enumerated().map { index, text in #"{"id": \#(100 + index), "schema": \#(JSONValue.quoted(text))}"# }
        try Data(#"{"schemas": [\#(entries.joined(separator: ","))]}"#.utf8).write(to: URL(fileURLWithPath: table))
        let resolver = try SchemaTable(json: Array(try Data(contentsOf: URL(fileURLWithPath: table))), file: table)
        let outcome = decode(try payment.recordValue(schemaIds: resolver), schemaTable: table)
        #expect(outcome.exitCode == EventcExit.clean, "\(outcome.errorOutput)")
        #expect(outcome.output == String(decoding: try payment.jsonBytes(), as: UTF8.self) + "\n")
        // Without the table, id 102 is no schema of the contract.
        #expect(decode(try payment.recordValue(schemaIds: resolver)).exitCode == EventcExit.findings)
    }
}

@Suite("eventc-ops dlq list --contracts")
struct DeadLetterDecodeTests {
    /// A durable folder whose payments dead-letter topic holds an Avro record as the processor
    /// dead-letters it (content type, contract version) and one whose bytes are no event.
    private func folderWithAvroDeadLetters() async throws -> (directory: String, event: PaymentCompleted) {
        let event = PaymentCompleted(
            orderId: "order-9", paymentId: UUID(uuidString: "39B96615-F2B3-4531-A570-0A7F517463A3") ?? UUID(),
            total: .init(amount: "12.5"), capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 0))
        let directory = temporaryDirectory()
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        let topic = "payments.payment-completed.dlq"
        try await broker.createTopic(topic, config: TopicConfig(partitions: 1))
        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        for value in [try event.recordValue(), [ConfluentFrame.magicByte, 0, 0, 0, 1, 0xFF]] {
            _ = try await producer.send([OutgoingRecord(
                topic: topic, key: Array("order-9".utf8), value: value,
                headers: [
                    RecordHeader(CloudEventHeader.id, "id-1"), RecordHeader(CloudEventHeader.type, "PaymentCompleted"),
                    RecordHeader(CloudEventHeader.contentType, EventEncoding.avro.contentType), RecordHeader(CloudEventHeader.contractVersion, "3"),
                    RecordHeader(DeadLetterHeader.originalTopic, "payments.payment-completed"), RecordHeader(DeadLetterHeader.cause, "deserialization"),
                ],
                partition: 0)])
        }
        broker.close()
        return (directory, event)
    }

    private func payloads() throws -> ContractPayloads {
        guard case .loaded(let payloads) = ContractPayloads.load(repositoryRoot.appendingPathComponent("Contracts").path, schemaTable: nil) else {
            throw CancellationError()
        }
        return payloads
    }

    @Test("JSON output carries each Avro payload as the contract's JSON, or why it does not read, beside its bytes")
    func jsonOutput() async throws {
        let (directory, event) = try await folderWithAvroDeadLetters()
        let run = DeadLetterListRun(topic: "payments.payment-completed.dlq", source: .brokerDirectory(directory), format: .json, payloads: try payloads())
        let outcome = await run.execute()
        #expect(outcome.exitCode == EventcExit.clean, "\(outcome.errorOutput)")
        let letters = try JSONValue.parse(outcome.output)
        guard case .array(let items) = letters, items.count == 2,
              case .object(let first) = items[0], case .object(let second) = items[1]
        else { Issue.record("not two letters: \(outcome.output)"); return }
        let decoded = first.first { $0.0 == "decoded" }?.1
        #expect(decoded == (try JSONValue.parse(try event.jsonBytes())))
        #expect(first.first { $0.0 == "valueBase64" }?.1 == .string(Base64.string(try event.recordValue())))
        let failure = second.first { $0.0 == "decoded" }?.1.compact() ?? ""
        #expect(failure.contains("is no PaymentCompleted"), "\(failure)")
    }

    @Test("text output with --decode prints each payload read by its contract, indented")
    func textOutput() async throws {
        let (directory, _) = try await folderWithAvroDeadLetters()
        let run = DeadLetterListRun(
            topic: "payments.payment-completed.dlq", source: .brokerDirectory(directory), format: .text, decode: true, payloads: try payloads())
        let outcome = await run.execute()
        #expect(outcome.output.contains(#"  "orderId": "order-9""#), "\(outcome.output)")
        #expect(outcome.output.contains("  payload does not read: the confluent payload (6 bytes) is no PaymentCompleted: unknownSchema"), "\(outcome.output)")
        #expect(outcome.output.contains("2 dead letters in payments.payment-completed.dlq"))
    }
}
