import Tracing

/// Distributed tracing for events, through swift-distributed-tracing, so whatever tracer a
/// service bootstraps (swift-otel, others) receives the spans. The trace context travels in the
/// record's headers, written and read by the tracer's own propagator (W3C `traceparent` and
/// `tracestate` for OpenTelemetry's), so a consumer in another language continues the trace.
///
/// Disabled (`tracer == nil`) when no tracer is bootstrapped: then nothing is started, injected or
/// extracted, and the hot paths pay one branch.
public struct EventTracing: Sendable {
    /// The tracer spans go to, or nil when tracing is off.
    public let tracer: (any Tracer)?

    /// Tracing through `tracer`, or none with nil.
    public init(tracer: (any Tracer)?) { self.tracer = tracer }

    /// The tracer `InstrumentationSystem` was bootstrapped with; disabled when none was.
    public static var system: EventTracing {
        let tracer = InstrumentationSystem.tracer
        return EventTracing(tracer: tracer is NoOpTracer ? nil : tracer)
    }

    /// No tracing, whatever is bootstrapped (a bulk job whose spans nobody reads, say).
    public static let disabled = EventTracing(tracer: nil)

    /// OpenTelemetry's messaging semantic conventions (attribute names).
    public enum Attribute {
        /// `messaging.system`: `kafka`.
        public static let system = "messaging.system"
        /// `messaging.operation.name`: `send`, `process`.
        public static let operationName = "messaging.operation.name"
        /// `messaging.operation.type`: `send`, `process`.
        public static let operationType = "messaging.operation.type"
        /// `messaging.destination.name`: the topic.
        public static let destination = "messaging.destination.name"
        /// `messaging.destination.partition.id`: the partition.
        public static let partition = "messaging.destination.partition.id"
        /// `messaging.kafka.offset`: the record's offset.
        public static let offset = "messaging.kafka.offset"
        /// `messaging.consumer.group.name`: the consumer group.
        public static let consumerGroup = "messaging.consumer.group.name"
        /// `messaging.message.id`: the event's id (`ce_id`).
        public static let messageID = "messaging.message.id"
        /// `messaging.kafka.message.key`: the record's key.
        public static let messageKey = "messaging.kafka.message.key"
    }

    /// The context written in `headers` (by a producer, or stored with an outbox row), or nil.
    public func context(in headers: [RecordHeader]) -> InstrumentationContext? {
        guard let tracer else { return nil }
        var context = InstrumentationContext.topLevel
        tracer.extract(headers, into: &context, using: HeaderExtractor())
        return context.isEmpty ? nil : context
    }

    /// `headers` with `context` written into them (replacing what a previous injection wrote).
    public func inject(_ context: InstrumentationContext, into headers: inout [RecordHeader]) {
        guard let tracer else { return }
        var injected: [RecordHeader] = []
        tracer.inject(context, into: &injected, using: HeaderInjector())
        let names = Set(injected.map(\.name))
        headers.removeAll { names.contains($0.name) }
        headers += injected
    }

    /// Sends `record` inside a producer span (`send <topic>`), its context injected into the
    /// record's headers. The span's parent: the context the record already carries (an outbox
    /// row's business transaction), else the task's current one.
    public func send(_ record: OutgoingRecord, _ send: (OutgoingRecord) async throws -> Void) async throws {
        try await self.send([record]) { try await send($0[0]) }
    }

    /// `send` for a batch: a producer span per record, all ended when the batch is sent.
    public func send(_ records: [OutgoingRecord], _ send: ([OutgoingRecord]) async throws -> Void) async throws {
        guard let tracer else { return try await send(records) }
        var spans: [any Span] = []
        var traced: [OutgoingRecord] = []
        for var record in records {
            let parent = context(in: record.headers) ?? InstrumentationContext.current ?? .topLevel
            let span = tracer.startSpan("send \(record.topic)", context: parent, ofKind: .producer)
            span.attributes[Attribute.system] = "kafka"
            span.attributes[Attribute.operationName] = "send"
            span.attributes[Attribute.operationType] = "send"
            span.attributes[Attribute.destination] = record.topic
            if let id = record.header(CloudEventHeader.id) { span.attributes[Attribute.messageID] = id }
            inject(span.context, into: &record.headers)
            spans.append(span)
            traced.append(record)
        }
        defer { for span in spans { span.end() } }
        do {
            try await send(traced)
        } catch {
            for span in spans {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
            throw error
        }
    }
}

/// Writes a propagator's values as record headers.
struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout [RecordHeader]) {
        headers.append(RecordHeader(key, value))
    }
}

/// Reads a propagator's values from record headers (the first of a name).
struct HeaderExtractor: Extractor {
    func extract(key: String, from headers: [RecordHeader]) -> String? {
        headers.value(of: key)
    }
}
