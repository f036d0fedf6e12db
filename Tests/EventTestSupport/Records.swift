import EventTransport
import Testing

/// A record with a text key and value. Unless `headers` are given, it carries one header `h`
/// holding the value, so tests can check that headers travel.
public func record(
    _ topic: String, key: String?, _ value: String, headers: [RecordHeader]? = nil, partition: Int? = nil, timestamp: Int64? = nil
) -> OutgoingRecord {
    OutgoingRecord(
        topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers ?? [RecordHeader("h", value)],
        partition: partition, timestamp: timestamp)
}

extension ConsumerRecord {
    /// The value as UTF-8 text.
    public var text: String { String(decoding: value, as: UTF8.self) }
    /// The key as UTF-8 text.
    public var keyText: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// Runs `body` expecting a `TransportError` with `code`.
public func expectTransportError(
    _ code: TransportError.Code, containing fragment: String? = nil, _ body: () async throws -> Void
) async -> Bool {
    do {
        try await body()
        return false
    } catch let error as TransportError {
        guard error.code == code else { return false }
        guard let fragment, !error.message.contains(fragment) else { return true }
        Issue.record("the message does not say \"\(fragment)\": \(error.message)")
        return false
    } catch {
        return false
    }
}
