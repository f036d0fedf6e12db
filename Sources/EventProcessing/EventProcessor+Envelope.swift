import EventTransport

extension EventProcessor {
    /// The CloudEvents attributes a record carries, read in one pass over its headers. Plain
    /// values, no Strings: the route is found from the `ce_type` bytes, and `ce_id` and `ce_time`
    /// are kept as positions in the headers, for the event's context to read if it is asked.
    struct Envelope: Sendable {
        /// The record's route in `Routes.all`; nil when it has no `ce_type` or no handler takes its type.
        var route: Int?
        var idHeader: Int?
        var timeHeader: Int?
        var version: Int?
        /// From a retry topic: the attempt this delivery is, and when it may run (ms since 1970).
        var retryAttempt: Int?
        var retryDue: Int64?
        /// Whether the record has a `ce_type` header (records without one, from producers that
        /// set no CloudEvents headers, are routed by their topic).
        var hasType = false
        /// What the record's `content-type` names: nil when it has none (the codec then tells
        /// JSON from Confluent's Avro by the value's first byte).
        var encoding: EventEncoding?
        /// A `content-type` no codec reads.
        var unknownContentType: String?

        /// Bit n set: some header read here has an n-byte name.
        static let wantedNameLengths: UInt64 = [
            CloudEventHeader.type, CloudEventHeader.id, CloudEventHeader.contractVersion, CloudEventHeader.time,
            RetryHeader.attempt, RetryHeader.due, CloudEventHeader.contentType,
        ].reduce(0) { $0 | 1 << UInt64($1.utf8.count) }

        static let jsonContentType = Array(EventEncoding.json.contentType.utf8)
        static let avroContentType = Array(EventEncoding.avro.contentType.utf8)

        init(_ headers: [RecordHeader], routes: Routes) {
            // Through a buffer: iterating the array copied each header (two retains and releases).
            headers.withUnsafeBufferPointer { headers in
                for index in headers.indices {
                    // Most headers are none of these; a length check turns them away before six string
                    // comparisons (18-byte names are not small strings and compare slowly).
                    let length = headers[index].name.utf8.count
                    guard length < 64, Self.wantedNameLengths & (1 << length) != 0 else { continue }
                    switch headers[index].name {
                    case CloudEventHeader.type:
                        route = routes.index(ofType: headers[index].value)
                        hasType = true
                    case CloudEventHeader.contentType: readContentType(headers[index].value)
                    case CloudEventHeader.id: idHeader = index
                    case CloudEventHeader.contractVersion: version = Self.decimal(headers[index].value).map(Int.init)
                    case CloudEventHeader.time: timeHeader = index
                    case RetryHeader.attempt: retryAttempt = Self.decimal(headers[index].value).map(Int.init)
                    case RetryHeader.due: retryDue = Self.decimal(headers[index].value)
                    default: continue
                    }
                }
            }
        }

        /// The record's event, in the codec its `content-type` names (JSON needs the contract
        /// version header; Avro's frame names its schema).
        @inline(__always)
        func decode<Event: EventContract>(_ type: Event.Type, _ value: [UInt8], schemaIds: any SchemaIdResolver) throws -> Event {
            if let unknownContentType {
                throw EventDecodingError(.unknownContentType, path: "", offset: 0, "no codec reads content-type '\(unknownContentType)'")
            }
            if encoding != .avro, value.first != ConfluentFrame.magicByte, (version ?? 0) < 1 {
                throw ContractViolation("the record has no valid \(CloudEventHeader.contractVersion) header")
            }
            let event = try Event.decode(recordValue: value, encoding: encoding, version: version, schemaIds: schemaIds)
            do {
                try event.validate()
            } catch {
                throw ContractViolation(error)
            }
            return event
        }

        /// The encoding a `content-type` value names: the two the publisher writes compared as
        /// bytes, any other spelling parsed.
        mutating func readContentType(_ value: [UInt8]) {
            if value == Self.jsonContentType {
                encoding = .json
            } else if value == Self.avroContentType {
                encoding = .avro
            } else {
                let text = String(decoding: value, as: UTF8.self)
                encoding = EventEncoding(contentType: text)
                if encoding == nil { unknownContentType = text }
            }
        }

        /// A header's decimal integer (`-`? digits, at most 18 of them), without making a String.
        static func decimal(_ bytes: [UInt8]) -> Int64? {
            let negative = bytes.first == UInt8(ascii: "-")
            let digits = bytes.dropFirst(negative ? 1 : 0)
            guard !digits.isEmpty, digits.count <= 18 else { return nil }
            var value: Int64 = 0
            for byte in digits {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return negative ? -value : value
        }
    }
}
