/// What a topic may be called and how many partitions it may have: the one definition that
/// `eventc check` holds contracts to and the in-process broker enforces, so a contract that
/// passes the check always creates its topics.
public enum TopicLimits {
    /// The partition counts a contract may ask for and a broker topic may have. Kafka itself sets
    /// no fixed ceiling; ten thousand is ours, far above what a topic of events needs.
    public static let partitionRange = 1...10_000

    /// Kafka's rule for a topic name: 1 to 249 of `[A-Za-z0-9._-]`, and not `.` or `..` (which
    /// also keeps the name safe as the broker's folder name).
    public static func isValidName(_ name: String) -> Bool {
        guard (1...249).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// The rule in words, for an error that refuses a name.
    public static let nameRule = "use 1 to 249 of A-Z a-z 0-9 . _ -"
}
