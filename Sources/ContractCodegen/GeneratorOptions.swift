import EventCore

/// How generated code is shaped.
public struct GeneratorOptions: Sendable, Hashable {
    /// The access level of the generated declarations.
    public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        case `public`, package, `internal`
    }

    /// `public` (default), `package` or `internal`.
    public var accessLevel: AccessLevel
    /// Modules to import besides the runtime's (EventCore, EventProcessing) and Foundation.
    public var imports: [String]
    /// The encoding of contracts that do not declare one (`encoding:` in `eventc-config.yaml`).
    public var defaultEncoding: EventEncoding

    /// Options; the defaults give public types, no extra imports, JSON.
    public init(accessLevel: AccessLevel = .public, imports: [String] = [], defaultEncoding: EventEncoding = .json) {
        self.accessLevel = accessLevel
        self.imports = imports
        self.defaultEncoding = defaultEncoding
    }
}

/// Why a contract could not be turned into Swift. The check pipeline reports most problems
/// first; these are the generator's own refusals.
public struct GenerationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The contract file.
    public var file: String
    /// Why it could not be generated.
    public var message: String

    /// An error about `file`.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}

/// One output file.
public struct GeneratedFile: Hashable, Sendable {
    /// The file's name (no folder).
    public var name: String
    /// Its Swift source.
    public var contents: String
}
