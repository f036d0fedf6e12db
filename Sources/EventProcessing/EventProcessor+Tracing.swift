import EventTransport
import Tracing

extension EventProcessor {
    /// A consumer span (`process <topic>`) for one record, or a batch handler's records, with
    /// OpenTelemetry's messaging attributes. One record's producer span is its parent; a batch's
    /// records are its links (each came from another trace), as OpenTelemetry advises.
    func startConsumerSpan(for records: [ConsumerRecord], _ route: Route, _ tracer: any Tracer) -> any Span {
        let tracing = configuration.tracing
        let first = records[0]
        let parent = records.count == 1 ? tracing.context(in: first.headers) : nil
        let span = tracer.startSpan("process \(first.topic)", context: parent ?? InstrumentationContext.current ?? .topLevel, ofKind: .consumer)
        span.attributes[EventTracing.Attribute.system] = "kafka"
        span.attributes[EventTracing.Attribute.operationName] = "process"
        span.attributes[EventTracing.Attribute.operationType] = "process"
        span.attributes[EventTracing.Attribute.destination] = first.topic
        span.attributes[EventTracing.Attribute.partition] = String(first.partition)
        span.attributes[EventTracing.Attribute.consumerGroup] = configuration.groupId
        span.attributes["eventcontracts.event_type"] = route.handler.eventType
        if records.count == 1 {
            span.attributes[EventTracing.Attribute.offset] = Int64(first.offset)
            if let id = first.headers.value(of: CloudEventHeader.id) { span.attributes[EventTracing.Attribute.messageID] = id }
            if let key = first.key { span.attributes[EventTracing.Attribute.messageKey] = String(decoding: key, as: UTF8.self) }
        } else {
            span.attributes["messaging.batch.message_count"] = records.count
            for record in records {
                if let context = tracing.context(in: record.headers) { span.addLink(SpanLink(context: context, attributes: [:])) }
            }
        }
        return span
    }

    /// Runs `body` (one record's delivery, or a batch's) inside a consumer span that is the
    /// current context meanwhile, so what a handler publishes continues the trace; an error
    /// thrown out of it is recorded on the span, and the outcome counted meanwhile becomes events.
    func inConsumerSpan(
        for records: [ConsumerRecord], _ route: Route, _ tracer: any Tracer, recorder: inout OutcomeRecorder,
        _ body: (inout OutcomeRecorder) async throws -> Void
    ) async throws {
        let span = startConsumerSpan(for: records, route, tracer)
        defer { span.end() }
        let before = recorder.statistics
        do {
            try await InstrumentationContext.withValue(span.context) { try await body(&recorder) }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
        recordOutcome(on: span, from: before, to: recorder.statistics)
    }

    /// What happened to the span's records, from the statistics before and after: retries as
    /// events, a dead letter or a skip as an event with an error status.
    func recordOutcome(on span: any Span, from before: ProcessorStatistics, to after: ProcessorStatistics) {
        for _ in 0..<max(0, after.retried - before.retried) { span.addEvent("retry") }
        if after.deadLettered > before.deadLettered {
            span.addEvent("dead-lettered")
            span.setStatus(SpanStatus(code: .error, message: "dead-lettered"))
        }
        if after.skipped > before.skipped {
            span.addEvent("skipped")
            span.setStatus(SpanStatus(code: .error, message: "skipped: its contract does not dead-letter the failure"))
        }
        if after.duplicatesSkipped > before.duplicatesSkipped { span.addEvent("duplicate skipped") }
    }
}
