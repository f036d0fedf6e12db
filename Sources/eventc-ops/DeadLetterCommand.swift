import ArgumentParser
import ContractChecker
import ContractModel
import EventBroker
import EventCore
import EventProcessing
import EventcCommandLine
import Foundation

struct DeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Look at a dead-letter topic, and replay it once the bug is fixed.",
        discussion: """
            Works on a durable in-process broker's folder (--broker-dir, an InProcessBroker with \
            .directory) or a Kafka cluster (--kafka BOOTSTRAP; security settings from the same KAFKA_* \
            environment as the runtime). `list` only reads, and works while the service runs; `replay` \
            writes, and a broker folder is locked while a broker has it open: stop the service first.
            """,
        subcommands: [DeadLetterListCommand.self, DeadLetterReplayCommand.self]
    )
}

struct DeadLetterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print every record in a dead-letter topic, with why it is there.")

    @Argument(help: "The dead-letter topic, e.g. payments.payment-completed.dlq.")
    var topic: String

    @OptionGroup var source: DeadLetterSourceOptions

    @OptionGroup var filter: DeadLetterFilterOptions

    @Option(help: "text or json.")
    var format: DeadLetterListRun.Format = .text

    @Flag(help: "In text, print each payload under its line: its JSON, or with --contracts, the payload read by its contract (JSON or Avro).")
    var decode = false

    @Option(help: "The contracts folder: payloads are read by their contract (JSON, Avro, Confluent's frame), as `decode` reads them.")
    var contracts: String?

    @Option(help: "A schema table for Confluent ids (see `decode`).")
    var schemaTable: String?

    @Flag(help: "With --contracts, print the values of fields tagged pii or secret, and the raw payloads of their events (masked and left out by default).")
    var reveal = false

    func run() async throws {
        var run = DeadLetterListRun(
            topic: topic, source: try source.source(), format: format, filter: try filter.filter(), decode: decode, reveal: reveal)
        if let contracts {
            switch ContractPayloads.load(contracts, schemaTable: schemaTable) {
            case .refused(let outcome): return try outcome.emit()
            case .loaded(let payloads): run.payloads = payloads
            }
        }
        try await run.execute().emit()
    }
}

struct DeadLetterReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Republish dead letters to their original topics, as first published (same key, value, headers and event id).",
        discussion: "Progress is committed as the group <topic>.replay: a second replay sends only what arrived since.")

    @Argument(help: "The dead-letter topic.")
    var topic: String

    @OptionGroup var source: DeadLetterSourceOptions

    @OptionGroup var filter: DeadLetterFilterOptions

    func run() async throws {
        try await DeadLetterReplayRun(topic: topic, source: try source.source(), filter: try filter.filter()).execute().emit()
    }
}

/// `eventc-ops dlq list` without the process around it.
struct DeadLetterListRun {
    enum Format: String, ExpressibleByArgument, Sendable {
        case text, json
    }

    var topic: String
    var source: DeadLetterSource
    var format: Format
    var filter = DeadLetterFilter()
    /// Print each payload under its line: its JSON indented, or why it is not JSON.
    var decode = false
    /// Print fields tagged `pii` or `secret` (with contracts, they are masked otherwise).
    var reveal = false
    /// Read payloads by their contract (`--contracts`): Avro too, and as the canonical JSON.
    var payloads: ContractPayloads? = nil

    func execute() async -> CommandOutcome {
        let letters: [DeadLetter]
        do {
            letters = try await source.withTransport(topic: topic, readOnly: true) { transport in
                try await DeadLetters.list(topic, transport: transport)
            }.filter(filter.accepts)
        } catch {
            return .usageOrIOError("\(error)", tool: "eventc-ops")
        }
        switch format {
        case .text:
            var lines = letters.map { letter in
                "\(letter.record.topic)-\(letter.record.partition)@\(letter.record.offset) \(letter.eventType ?? "?") id=\(letter.eventId ?? "?") "
                    + "from \(letter.originalTopic ?? "?")-\(letter.originalPartition.map(String.init) ?? "?")@\(letter.originalOffset.map(String.init) ?? "?") "
                    + "group=\(letter.consumerGroup ?? "?") cause=\(letter.cause ?? "?") attempts=\(letter.attempts.map(String.init) ?? "?") "
                    + "error=\(letter.errorMessage ?? "?")"
                    + (decode ? "\n" + payload(letter) : "")
            }
            lines.append("\(letters.count) dead letter\(letters.count == 1 ? "" : "s") in \(topic)")
            return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: "", exitCode: EventcExit.clean)
        case .json:
            let objects: [JSONValue] = letters.map(json)
            return CommandOutcome(output: JSONValue.array(objects).rendered() + "\n", errorOutput: "", exitCode: EventcExit.clean)
        }
    }
}

extension DeadLetterListRun {
    /// A letter's payload for people: read by its contract when there are contracts, else as JSON.
    func payload(_ letter: DeadLetter) -> String {
        guard let payloads else { return Self.payload(letter.record.value) }
        switch decoded(letter, payloads) {
        case .success(let value): return value.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        case .failure(let failure): return "  payload does not read: \(Diagnostic.escapingControls(failure.description))"
        }
    }

    /// The payload as its contract reads it: the format from its `content-type` (or its first
    /// byte), the version from its contract version header.
    func decoded(_ letter: DeadLetter, _ payloads: ContractPayloads) -> Result<JSONValue, ContractPayloads.Failure> {
        guard let event = letter.eventType else { return .failure(.init(description: "the record has no \(CloudEventHeader.type) header")) }
        let value = letter.record.value
        let contentType = letter.record.headers.value(of: CloudEventHeader.contentType)
        let format: ContractPayloads.Format = switch contentType.flatMap(EventEncoding.init(contentType:)) {
        case .json?: .json
        case .avro?: .confluent
        case nil: ContractPayloads.sniff(value)
        }
        let version = letter.record.headers.value(of: CloudEventHeader.contractVersion).flatMap { Int($0) }
        return Result { () throws(ContractPayloads.Failure) -> JSONValue in
            let decoded = try payloads.decode(value, event: event, format: format, version: version)
            return reveal ? decoded : SensitiveFields.mask(decoded, by: try payloads.contract(event))
        }
    }

    /// Whether the letter's raw payload may be printed: not when its contract tags a field
    /// `pii` or `secret` (unless `--reveal`), as the bytes hold those values in clear.
    func showsRawPayload(_ letter: DeadLetter) -> Bool {
        guard !reveal, let payloads, let event = letter.eventType, let contract = try? payloads.contract(event) else { return true }
        return !SensitiveFields.hasSensitiveFields(contract)
    }

    /// A payload for people: the JSON indented by two more spaces, control characters escaped;
    /// a payload that is not JSON (a deserialization failure, often) says so, with its bytes.
    static func payload(_ value: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value), options: .fragmentsAllowed),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
        else {
            let text = String(decoding: value.prefix(200), as: UTF8.self)
            return "  payload is not JSON (\(value.count) bytes): \(Diagnostic.escapingControls(text))"
        }
        return String(decoding: pretty, as: UTF8.self).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    /// A letter as JSON: its bookkeeping, its value as text and as base64 (Avro is no text),
    /// and with contracts, the value read by its contract (or why it does not read).
    func json(_ letter: DeadLetter) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: (some BinaryInteger)?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
        var members: [(String, JSONValue)] = []
        members.append(("partition", number(letter.record.partition)))
        members.append(("offset", number(letter.record.offset)))
        members.append(("eventType", text(letter.eventType)))
        members.append(("eventId", text(letter.eventId)))
        members.append(("originalTopic", text(letter.originalTopic)))
        members.append(("originalPartition", number(letter.originalPartition)))
        members.append(("originalOffset", number(letter.originalOffset)))
        members.append(("consumerGroup", text(letter.consumerGroup)))
        members.append(("cause", text(letter.cause)))
        members.append(("attempts", number(letter.attempts)))
        members.append(("error", text(letter.errorMessage)))
        if showsRawPayload(letter) {
            members.append(("value", .string(String(decoding: letter.record.value, as: UTF8.self))))
            members.append(("valueBase64", .string(Base64.string(letter.record.value))))
        } else {
            // The bytes hold the tagged fields in clear: only the masked reading is printed.
            members.append(("value", .null))
            members.append(("valueBase64", .null))
        }
        if let payloads {
            switch decoded(letter, payloads) {
            case .success(let value): members.append(("decoded", value))
            case .failure(let failure): members.append(("decoded", .object([("error", .string(failure.description))])))
            }
        }
        return .object(members)
    }
}

/// `eventc-ops dlq replay` without the process around it.
struct DeadLetterReplayRun {
    var topic: String
    var source: DeadLetterSource
    var filter = DeadLetterFilter()

    func execute() async -> CommandOutcome {
        do {
            let filter = filter
            let sent = try await source.withTransport(topic: topic, readOnly: false) { transport in
                try await DeadLetters.replay(topic, transport: transport, where: filter.accepts)
            }
            let byTopic = Dictionary(grouping: sent, by: \.topic).map { "\($0.value.count) to \($0.key)" }.sorted()
            let summary = sent.isEmpty ? "nothing to replay in \(topic)" : "replayed \(sent.count) record\(sent.count == 1 ? "" : "s"): " + byTopic.joined(separator: ", ")
            return CommandOutcome(output: summary + "\n", errorOutput: "", exitCode: EventcExit.clean)
        } catch {
            return .usageOrIOError("\(error)", tool: "eventc-ops")
        }
    }
}

enum DeadLetterBroker {
    /// Opens the folder; read-only for inspection, so listing works beside a running service and
    /// changes nothing on disk.
    static func open(_ directory: String, topic: String, readOnly: Bool) throws -> InProcessBroker {
        guard FileManager.default.fileExists(atPath: directory + "/topics.journal") else {
            throw TransportError(.storage, "\(directory) is not a broker folder (no topics.journal)")
        }
        var options = InProcessBroker.Options(storage: readOnly ? .readOnlyDirectory(directory) : .directory(directory))
        options.logger.logLevel = .warning
        let broker = try InProcessBroker(options)
        guard broker.topicNames().contains(topic) else {
            broker.close()
            throw TransportError(.unknownTopicOrPartition, "no topic '\(topic)' in \(directory); topics: \(broker.topicNames().joined(separator: ", "))")
        }
        return broker
    }
}
