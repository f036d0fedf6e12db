extension AvroSchema {
    /// Avro's Parsing Canonical Form: the schema with only what parsing depends on — full names,
    /// no docs, aliases, defaults or logical types, attributes in a fixed order, no whitespace.
    /// Two schemas with equal forms encode the same data the same way; a Java producer's schema
    /// and the contract's differ, if at all, only in what this drops.
    public var parsingCanonicalForm: String {
        var seen: Set<String> = []
        var output = ""
        Self.writeCanonical(self, into: &output, seen: &seen)
        return output
    }

    /// The schema's 64-bit Rabin fingerprint (Avro's `CRC-64-AVRO`) of its Parsing Canonical Form.
    public var fingerprint: UInt64 { AvroFingerprint.rabin(Array(parsingCanonicalForm.utf8)) }

    private static func writeCanonical(_ schema: AvroSchema, into output: inout String, seen: inout Set<String>) {
        func quoted(_ text: String) -> String { JSONValue.quoted(text) }
        /// A named type's first appearance is written in full; later ones by full name.
        func named(_ name: AvroName, _ body: (inout String) -> Void) {
            guard seen.insert(name.fullName).inserted else {
                output += quoted(name.fullName)
                return
            }
            output += "{\"name\":" + quoted(name.fullName) + ","
            body(&output)
            output += "}"
        }
        switch schema {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            output += quoted(schema.kindName)
        case .fixed(let fixed):
            named(fixed.name) { $0 += "\"type\":\"fixed\",\"size\":\(fixed.size)" }
        case .enumeration(let enumeration):
            named(enumeration.name) { $0 += "\"type\":\"enum\",\"symbols\":[" + enumeration.symbols.map(quoted).joined(separator: ",") + "]" }
        case .record(let record):
            named(record.name) { output in
                output += "\"type\":\"record\",\"fields\":["
                for (index, field) in record.fields.enumerated() {
                    if index > 0 { output += "," }
                    output += "{\"name\":" + quoted(field.name) + ",\"type\":"
                    writeCanonical(field.type, into: &output, seen: &seen)
                    output += "}"
                }
                output += "]"
            }
        case .array(let items):
            output += "{\"type\":\"array\",\"items\":"
            writeCanonical(items, into: &output, seen: &seen)
            output += "}"
        case .map(let values):
            output += "{\"type\":\"map\",\"values\":"
            writeCanonical(values, into: &output, seen: &seen)
            output += "}"
        case .union(let branches):
            output += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { output += "," }
                writeCanonical(branch, into: &output, seen: &seen)
            }
            output += "]"
        }
    }
}

/// Avro's 64-bit Rabin fingerprint, `CRC-64-AVRO`, as its specification gives it.
public enum AvroFingerprint {
    static let empty: UInt64 = 0xc15d_213a_a4d7_a795

    static let table: [UInt64] = (0..<256).map { index in
        var fingerprint = UInt64(index)
        for _ in 0..<8 { fingerprint = (fingerprint >> 1) ^ (empty & (0 &- (fingerprint & 1))) }
        return fingerprint
    }

    /// The fingerprint of `bytes`.
    public static func rabin(_ bytes: [UInt8]) -> UInt64 {
        var fingerprint = empty
        for byte in bytes { fingerprint = (fingerprint >> 8) ^ table[Int((fingerprint ^ UInt64(byte)) & 0xFF)] }
        return fingerprint
    }
}
