/// A consumer that can leave its group as a crashed process does, at once: no `revoked`
/// callback, nothing committed on the way out. The in-process broker's consumers can; a Kafka
/// client cannot (a crash is noticed there after the session timeout).
public protocol CrashableConsumer: TransportConsumer {
    /// Leaves the group at once, without the `revoked` callback and without committing.
    func crash()
}
