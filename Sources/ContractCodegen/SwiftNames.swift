/// Names from contracts become Swift identifiers. Lint already demands ASCII camel case; the
/// generator checks again against a strict allowlist, because it must never emit text it has not
/// vetted, whatever called it.
enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer",
        "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where",
        "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        "Type", "Protocol", "package", "consume", "copy", "borrowing", "consuming", "discard", "some", "any",
    ]

    /// Members the generated types declare themselves; a field with one of these names would clash.
    static let reservedMembers: Set<String> = ["partitionKey", "hashValue", "encode", "decode", "hash", "init", "traverse", "validate"]

    static func isAllowed(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first), name.utf8.count <= 128 else { return false }
        return name != "_" && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
    }

    /// The identifier as Swift source: keywords in backticks.
    static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The name as an argument label: every keyword but these three is a label as it is.
    static func argumentLabel(_ name: String) -> String {
        ["inout", "var", "let"].contains(name) ? "`\(name)`" : name
    }
}
