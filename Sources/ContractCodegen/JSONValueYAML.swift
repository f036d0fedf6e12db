import EventCore

/// Writing exported documents as YAML.
extension JSONValue {
    /// The same tree as block-style YAML (for AsyncAPI documents people read): keys in order,
    /// strings double-quoted with JSON's escapes (a subset of YAML's), so no value is ever
    /// re-typed by a YAML reader (`no`, `1.0`, `null` stay strings) and the output is deterministic.
    public func renderedYAML() -> String {
        var lines: [String] = []
        appendYAML(to: &lines, indent: "")
        return lines.joined(separator: "\n") + "\n"
    }

    private func appendYAML(to lines: inout [String], indent: String) {
        switch self {
        case .object(let members) where !members.isEmpty:
            for (key, value) in members { value.appendMember(Self.yamlKey(key), to: &lines, indent: indent) }
        case .array(let items) where !items.isEmpty:
            for item in items { item.appendItem(to: &lines, indent: indent) }
        default:
            lines.append(indent + yamlScalar)
        }
    }

    private func appendMember(_ key: String, to lines: inout [String], indent: String) {
        if isCollection {
            lines.append("\(indent)\(key):")
            appendYAML(to: &lines, indent: indent + "  ")
        } else {
            lines.append("\(indent)\(key): \(yamlScalar)")
        }
    }

    /// `- ` then the item; an object's first key shares the dash's line, as people write YAML.
    private func appendItem(to lines: inout [String], indent: String) {
        guard isCollection else {
            lines.append("\(indent)- \(yamlScalar)")
            return
        }
        var nested: [String] = []
        appendYAML(to: &nested, indent: indent + "  ")
        if case .array = self {
            lines.append("\(indent)-")
            lines += nested
            return
        }
        nested[0] = indent + "- " + nested[0].dropFirst(indent.count + 2)
        lines += nested
    }

    private var isCollection: Bool {
        switch self {
        case .object(let members): !members.isEmpty
        case .array(let items): !items.isEmpty
        default: false
        }
    }

    private var yamlScalar: String {
        switch self {
        case .object: "{}"
        case .array: "[]"
        default: rendered()
        }
    }

    /// Plain when it is an identifier-like word YAML cannot read as anything but a string.
    private static func yamlKey(_ key: String) -> String {
        let plain = key.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.$-".unicodeScalars.contains(scalar))
        }
        let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]
        guard plain, let first = key.unicodeScalars.first, first.properties.isAlphabetic || first == "$" || first == "_",
              !reserved.contains(key.lowercased())
        else { return JSONValue.quoted(key) }
        return key
    }
}
