import EventCore
import Testing

@Suite("String formats")
struct StringFormatTests {
    static let accepted: [(StringFormat, String)] = [
        (.email, "jane@example.com"), (.email, "a.b+tag@mail.example.org"), (.email, "x@localhost"), (.email, "o'brien@example.ie"),
        (.hostname, "example.com"), (.hostname, "a-1.b2"), (.hostname, String(repeating: "a", count: 63)),
        (.ipv4, "192.0.2.1"), (.ipv4, "0.0.0.0"), (.ipv4, "255.255.255.255"),
        (.ipv6, "::"), (.ipv6, "::1"), (.ipv6, "2001:db8::1"), (.ipv6, "2001:0db8:0000:0000:0000:ff00:0042:8329"), (.ipv6, "::ffff:192.0.2.1"),
        (.ipv6, "1::"), (.ipv6, "1:2:3:4:5:6:7::"),
        (.uri, "https://example.com/a?b=c#d"), (.uri, "urn:isbn:0451450523"), (.uri, "mailto:jane@example.com"), (.uri, "https://e.com/%20"),
    ]
    static let refused: [(StringFormat, String)] = [
        (.email, "jane.example.com"), (.email, "jane@"), (.email, "@example.com"), (.email, "a..b@example.com"), (.email, ".a@example.com"),
        (.email, "jane doe@example.com"), (.email, "jane@exa mple.com"), (.email, "a@b@example.com"), (.email, "jane@[192.0.2.1]"),
        (.hostname, ""), (.hostname, "-a.com"), (.hostname, "a-.com"), (.hostname, "a..b"), (.hostname, "ex_ample.com"),
        (.hostname, String(repeating: "a", count: 64)), (.hostname, "a."),
        (.ipv4, "256.0.0.1"), (.ipv4, "1.2.3"), (.ipv4, "01.2.3.4"), (.ipv4, "1.2.3.4.5"), (.ipv4, "a.b.c.d"), (.ipv4, ""),
        (.ipv6, ":"), (.ipv6, "1:2:3:4:5:6:7:8:9"), (.ipv6, "1::2::3"), (.ipv6, "12345::1"), (.ipv6, "g::1"), (.ipv6, "fe80::1%eth0"),
        (.ipv6, "1:2:3:4:5:6:7"), (.ipv6, "::ffff:256.0.0.1"), (.ipv6, "1:2:3:4:5:6:7:1.2.3.4"),
        (.uri, "example.com"), (.uri, "/relative/path"), (.uri, "1http://x"), (.uri, "https://e.com/a b"), (.uri, "https://e.com/%2"),
    ]

    @Test("accepts what its definition allows", arguments: accepted.indices)
    func accepts(_ index: Int) {
        let (format, value) = Self.accepted[index]
        #expect(format.accepts(value), "\(format) \(value)")
    }

    @Test("refuses the rest", arguments: refused.indices)
    func refuses(_ index: Int) {
        let (format, value) = Self.refused[index]
        #expect(!format.accepts(value), "\(format) \(value)")
    }
}
