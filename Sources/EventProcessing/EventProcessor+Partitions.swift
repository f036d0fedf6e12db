import EventTransport

extension EventProcessor {
    /// Processes a poll's records: partitions in parallel, each in order.
    func processPartitions(_ records: [ConsumerRecord], deadLetters: any TransportProducer) async throws {
        // Grouped by partition as positions in the poll, not copies: a record copy retains its
        // topic, key, value and headers, and copying every record showed in profiles. A poll holds
        // each partition's records in a run or two, so the search starts from the last group.
        var byPartition: [(partition: TopicPartition, positions: [Int])] = []
        for (position, record) in records.enumerated() {
            if let index = byPartition.lastIndex(where: { $0.partition.partition == record.partition && $0.partition.topic == record.topic }) {
                byPartition[index].positions.append(position)
            } else {
                byPartition.append((record.topicPartition, [position]))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (partition, positions) in byPartition {
                group.addTask { try await self.processPartition(partition, positions, of: records, deadLetters: deadLetters) }
            }
            try await group.waitForAll()
        }
    }

    /// Processes one partition's records of a poll (`positions` in `records`), in order, a run of
    /// one event type at a time.
    private func processPartition(
        _ partition: TopicPartition, _ positions: [Int], of records: [ConsumerRecord], deadLetters: any TransportProducer
    ) async throws {
        var recorder = OutcomeRecorder(ignoredCounter: ignoredCounter)
        defer { publish(recorder) }
        // Each record's headers are read once, here.
        let envelopes = Self.envelopes(of: records, at: positions, routes: routes)
        var start = 0
        while start < positions.count {
            // A run of consecutive records of one event type (mostly the whole partition) has its
            // route looked up, and retained, once: every partition shares a route, and a retain per
            // record was a cache line the cores took turns to write.
            var end = start + 1
            while end < positions.count, envelopes[end].route == envelopes[start].route { end += 1 }
            let route = envelopes[start].route.map { routes.all[$0] }
            if let route, !route.handler.isBatch {
                try await deliverEach(
                    start..<end, of: records, at: positions, envelopes, route, route.handler.typed, partition, deadLetters: deadLetters,
                    recorder: &recorder)
            } else {
                if let route {
                    let batch = positions[start..<end].map { records[$0] }
                    if let tracer = configuration.tracing.tracer {
                        try await inConsumerSpan(for: batch, route, tracer, recorder: &recorder) { recorder in
                            try await deliverBatch(batch, Array(envelopes[start..<end]), route, deadLetters: deadLetters, recorder: &recorder)
                        }
                    } else {
                        try await deliverBatch(batch, Array(envelopes[start..<end]), route, deadLetters: deadLetters, recorder: &recorder)
                    }
                } else {
                    recorder.ignored(count: end - start)
                }
                if configuration.commitMode == .record {
                    try await markProcessed(partition, through: records[positions[end - 1]].offset)
                }
            }
            start = end
        }
        if configuration.commitMode != .record, let last = positions.last {
            try await markProcessed(partition, through: records[last].offset)
        }
    }

    /// The envelopes of `records` at `positions`, prefetching in two steps: sixteen records
    /// ahead the array of headers (four lines hold seven headers), eight ahead (that array in by
    /// then) the header values and the record's key and value, which the per-event step reads.
    static func envelopes(of records: [ConsumerRecord], at positions: [Int], routes: Routes) -> [Envelope] {
        records.withUnsafeBufferPointer { records in
            guard let first = records.baseAddress else { return [] }
            var envelopes: [Envelope] = []
            envelopes.reserveCapacity(positions.count)
            for index in positions.indices {
                if index + 16 < positions.count { Prefetch.headers(of: first + positions[index + 16], lines: 4) }
                if index + 8 < positions.count { Prefetch.contents(of: first + positions[index + 8]) }
                var envelope = Envelope(records[positions[index]].headers, routes: routes)
                if !envelope.hasType { envelope.route = routes.index(ofTopic: records[positions[index]].topic) }
                envelopes.append(envelope)
            }
            return envelopes
        }
    }

    func context(for record: ConsumerRecord, _ envelope: Envelope, eventType: String, version: Int, attempt: Int) -> EventContext {
        EventContext(
            eventIdHeader: envelope.idHeader, fallbackId: "\(record.topic)-\(record.partition)-\(record.offset)",
            eventType: eventType, version: version, occurredAtHeader: envelope.timeHeader, keyBytes: record.key, topic: record.topic,
            partition: record.partition, offset: record.offset, attempt: attempt, headers: record.headers)
    }
}
