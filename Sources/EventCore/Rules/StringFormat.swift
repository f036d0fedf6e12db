/// A `format:` rule: a string that must be an e-mail address, a host name, an IP address or a
/// URI. Each check is the syntax below, strictly and without a lookup (no DNS, no mail server):
/// what a validator can decide from the text alone, the same on every machine.
public enum StringFormat: String, Hashable, Sendable, CaseIterable {
    /// `local@domain`: RFC 5322's dot-atom local part (letters, digits and the punctuation RFC
    /// 5322 calls atext, such as `+`, `'` and `-`, dots between them; at most 64) and a
    /// `hostname` domain. Quoted
    /// local parts and address literals (`user@[10.0.0.1]`) are refused: few systems accept them.
    case email
    /// RFC 1123: labels of letters, digits and `-` (not first or last), 1 to 63 long, separated
    /// by dots; 253 characters at most.
    case hostname
    /// Four decimal numbers 0 to 255, dot-separated, without leading zeros (`010` is refused:
    /// some parsers read it as octal).
    case ipv4
    /// RFC 4291's text form: eight groups of 1 to 4 hex digits, one `::` for a run of zero
    /// groups, and an IPv4 address as the last 32 bits; no zone (`%eth0`).
    case ipv6
    /// RFC 3986's absolute URI: a scheme (a letter, then letters, digits, `+`, `-`, `.`), `:`,
    /// then only the characters a URI may hold, `%` followed by two hex digits.
    case uri

    /// "an" or "a", for messages.
    @usableFromInline
    var article: String {
        switch self {
        case .email, .ipv4, .ipv6: "an"
        case .hostname, .uri: "a"
        }
    }

    /// Whether `value` is in the format.
    public func accepts(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        switch self {
        case .email: return Self.isEmail(bytes)
        case .hostname: return Self.isHostname(bytes[...])
        case .ipv4: return Self.isIPv4(bytes[...])
        case .ipv6: return Self.isIPv6(bytes)
        case .uri: return Self.isURI(bytes)
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    private static let atext = Set("!#$%&'*+/=?^_`{|}~-".utf8)

    static func isEmail(_ bytes: [UInt8]) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), bytes.count <= 254 else { return false }
        let local = bytes[..<at]
        guard !local.isEmpty, local.count <= 64, local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for byte in local {
            if byte == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isLetter(byte) || isDigit(byte) || atext.contains(byte) else { return false }
                previousDot = false
            }
        }
        return isHostname(bytes[(at + 1)...])
    }

    static func isHostname(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDigit),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return false }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return false }
        }
        return true
    }

    static func isIPv6(_ bytes: [UInt8]) -> Bool {
        var text = bytes[...]
        var groupsLimit = 8
        // An IPv4 address may stand for the last two groups.
        if let lastColon = text.lastIndex(of: UInt8(ascii: ":")), text[(lastColon + 1)...].contains(UInt8(ascii: ".")) {
            guard isIPv4(text[(lastColon + 1)...]) else { return false }
            text = text[...lastColon]
            // Keep a trailing "::" whole; drop the single ':' that separated the IPv4 part.
            if !(text.count >= 2 && text[text.index(before: text.endIndex) - 1] == UInt8(ascii: ":")) { text = text.dropLast() }
            groupsLimit = 6
        }
        let halves = split(text, on: [UInt8(ascii: ":"), UInt8(ascii: ":")])
        guard halves.count <= 2 else { return false }
        var groups = 0
        for half in halves where !half.isEmpty {
            for group in half.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(isHex) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups < groupsLimit : groups == groupsLimit
    }

    /// `bytes` split at each occurrence of `separator`.
    private static func split(_ bytes: ArraySlice<UInt8>, on separator: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index + separator.count <= bytes.endIndex {
            if bytes[index..<(index + separator.count)].elementsEqual(separator) {
                parts.append(bytes[start..<index])
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(bytes[start...])
        return parts
    }

    private static let uriCharacters = Set("-._~:/?#[]@!$&'()*+,;=".utf8)

    static func isURI(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isLetter(bytes[0]) else { return false }
        guard bytes[1..<colon].allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return false }
        var index = colon + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isLetter(byte) || isDigit(byte) || uriCharacters.contains(byte) else { return false }
            index += 1
        }
        return true
    }
}
