import EventCore
import EventRuntime
import EventTestSupport
import EventcCommandLine
import Foundation
import GeneratedContracts
import Testing
import ToolTestSupport
@testable import eventc_ops

/// Fields tagged `pii` or `secret` are masked in what `eventc-ops` prints unless `--reveal`.
@Suite("eventc-ops masks pii and secret fields")
struct SensitiveFieldsTests {
    private let contracts = repositoryRoot.appendingPathComponent("Contracts").path

    private var order: OrderCreated {
        OrderCreated(
            orderId: "o-1", customerId: "jane-doe-1975", items: [.init(sku: "SKU", quantity: 1, unitPrice: .init(amount: "5"))],
            total: .init(amount: "5"), placedFrom: "DE", contactEmail: "jane@example.com")
    }

    @Test("decode masks the tagged fields, and shows them with --reveal")
    func decodeMasks() throws {
        let payload = try order.jsonBytes()
        let masked = DecodeRun(contracts: contracts, event: "OrderCreated", file: nil, payload: payload).execute()
        #expect(masked.exitCode == EventcExit.clean, "\(masked.errorOutput)")
        #expect(masked.output.contains(#""customerId":"<masked: pii>""#))
        #expect(masked.output.contains(#""contactEmail":"<masked: pii>""#))
        #expect(!masked.output.contains("jane"))
        #expect(masked.output.contains(#""orderId":"o-1""#), "untagged fields print as they are")
        let revealed = DecodeRun(contracts: contracts, event: "OrderCreated", file: nil, reveal: true, payload: payload).execute()
        #expect(revealed.output.contains("jane-doe-1975") && revealed.output.contains("jane@example.com"))
    }

    @Test("a null tagged field stays null; records, arrays and maps are followed to the tagged field")
    func nested() throws {
        var event = order
        event.contactEmail = nil
        let masked = DecodeRun(contracts: contracts, event: "OrderCreated", file: nil, payload: try event.jsonBytes()).execute()
        #expect(masked.output.contains(#""contactEmail":null"#))
        let delivery = DeliveryStarted(
            orderId: "o-1", deliveryId: UUID(), carrier: "cj", trackingNumber: "t",
            address: .init(line1: "1 Main St", line2: nil, city: "Seoul", postalCode: "04524"))
        let shown = DecodeRun(contracts: contracts, event: "DeliveryStarted", file: nil, payload: try delivery.recordValue()).execute()
        #expect(shown.exitCode == EventcExit.clean, "\(shown.errorOutput)")
        #expect(shown.output.contains(#""line1":"<masked: pii>""#) && shown.output.contains(#""postalCode":"<masked: pii>""#))
        #expect(shown.output.contains(#""city":"Seoul""#) && !shown.output.contains("Main St"))
    }

    @Test("dlq list with contracts prints the masked reading and leaves out the raw bytes, unless --reveal")
    func deadLetterList() async throws {
        let directory = NSTemporaryDirectory() + "eventc-mask-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        try await broker.createTopic("orders.dlq", config: TopicConfig(partitions: 1))
        var letter = try EventPublisher.record(for: order, source: "/tests")
        letter.topic = "orders.dlq"
        letter.headers += [RecordHeader(DeadLetterHeader.originalTopic, "orders"), RecordHeader(DeadLetterHeader.cause, "exhausted")]
        _ = try await broker.makeProducer(ProducerConfig()).send([letter])
        broker.close()
        let payloads: ContractPayloads
        switch ContractPayloads.load(contracts, schemaTable: nil) {
        case .loaded(let loaded): payloads = loaded
        case .refused(let outcome): Issue.record("\(outcome.errorOutput)"); return
        }
        var run = DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .json, decode: true)
        run.payloads = payloads
        let json = await run.execute()
        #expect(json.exitCode == EventcExit.clean, "\(json.errorOutput)")
        #expect(!json.output.contains("jane"), "\(json.output)")
        #expect(json.output.contains(#""value": null"#) || json.output.contains(#""value":null"#))
        var text = run
        text.format = .text
        let lines = await text.execute()
        #expect(lines.output.contains("<masked: pii>") && !lines.output.contains("jane"), "\(lines.output)")
        run.reveal = true
        let revealed = await run.execute()
        #expect(revealed.output.contains("jane@example.com"))
    }
}
