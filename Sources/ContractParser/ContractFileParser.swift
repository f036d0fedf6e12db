import ContractModel

/// Bytes of one contract file → the contract IR and every problem found reading it.
public enum ContractFileParser {
    /// A file's contract and diagnostics.
    public struct Result: Sendable {
        /// nil when the file could not be read as a contract at all.
        public var contract: Contract?
        /// Every problem found reading the file, in the order found.
        public var diagnostics: [Diagnostic]
        /// The file's text, kept so diagnostics can quote the offending line.
        public var source: String?
    }

    /// Reads `bytes`, the contents of the file at `file`, within `limits`.
    public static func parse(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) -> Result {
        let yaml = YAMLReader.read(bytes, file: file, limits: limits)
        let source = yaml.diagnostics.contains { $0.rule == .yamlInvalidUTF8 || $0.rule == .yamlFileTooLarge }
            ? nil : String(decoding: bytes, as: UTF8.self)
        guard yaml.diagnostics.isEmpty else {
            return Result(contract: nil, diagnostics: yaml.diagnostics, source: source)
        }
        let decoded = ContractDecoder.decode(yaml.root, file: file)
        return Result(contract: decoded.contract, diagnostics: decoded.diagnostics, source: source)
    }

    /// Reads `text`, the contents of the file at `file`.
    public static func parse(_ text: String, file: String) -> Result {
        parse(Array(text.utf8), file: file)
    }
}
