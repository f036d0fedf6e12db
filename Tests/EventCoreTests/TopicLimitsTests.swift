import EventCore
import Testing

@Suite("Topic limits")
struct TopicLimitsTests {
    @Test("topic names: Kafka's 1 to 249 of A-Z a-z 0-9 . _ -, but not . or ..", arguments: [
        ("payments.payment-completed_v2", true), ("A", true), (String(repeating: "x", count: 249), true),
        ("", false), (String(repeating: "x", count: 250), false), (".", false), ("..", false), ("...", true),
        ("../etc", false), ("with space", false), ("zahlung-ä", false), ("tab\t", false), ("a/b", false),
    ])
    func topicNames(name: String, valid: Bool) {
        #expect(TopicLimits.isValidName(name) == valid)
    }
}
