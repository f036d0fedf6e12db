import EventTransport

/// Polls until `count` records arrived or `deadline` passed (a transport may take a while to
/// hand out partitions: Kafka's mock cluster waits seconds for a group to form).
public func drain(_ consumer: any TransportConsumer, count: Int, within deadline: Duration = .seconds(30)) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    let end = ContinuousClock.now + deadline
    while records.count < count, ContinuousClock.now < end {
        records += try await consumer.poll(max: 500, timeout: .milliseconds(20))
    }
    return records
}

/// Polls a few times and returns everything that came.
public func pollAll(_ consumer: any TransportConsumer, polls: Int = 3) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    for _ in 0..<polls { records += try await consumer.poll(max: 500, timeout: .milliseconds(10)) }
    return records
}

/// Waits until `condition` holds, checking every 20 ms, for at most `deadline`.
public func eventually(within deadline: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
