import EventCore

/// How generated code is shaped.
public struct GeneratorOptions: Sendable, Hashable {
    public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        case `public`, package, `internal`
    }

    public var accessLevel: AccessLevel
    /// Modules to import besides the runtime's (EventCore, EventProcessing) and Foundation.
    public var imports: [String]
    /// The encoding of contracts that do not declare one (`encoding:` in `eventc-config.yaml`).
    public var defaultEncoding: EventEncoding

    public init(accessLevel: AccessLevel = .public, imports: [String] = [], defaultEncoding: EventEncoding = .json) {
        self.accessLevel = accessLevel
        self.imports = imports
        self.defaultEncoding = defaultEncoding
    }
}

/// Why a contract could not be turned into Swift. The check pipeline reports most problems
/// first; these are the generator's own refusals.
public struct GenerationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// One output file.
public struct GeneratedFile: Hashable, Sendable {
    public var name: String
    public var contents: String
}
