import EventCore

/// How generated code is shaped.
public struct GeneratorOptions: Sendable, Hashable {
    /// The access level of the generated declarations.
    public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        /// `public`: for a library of event types that other modules and packages use.
        case `public`
        /// `package`: visible to the other modules of the same package only.
        case package
        /// `internal`: visible in the generating module only (the build plugin's default).
        case `internal`
    }

    /// What to generate, like swift-openapi-generator's `GeneratorMode`: a library of event types
    /// that producers and consumers share need not link the processor.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The event types and their codecs, and `EventCatalog`: needs EventCore only.
        case types
        /// The handler protocols (`PaymentCompletedHandler`) and their registrations: needs
        /// EventProcessing, and the types (in the same module, or imported with `imports`).
        case handlers
    }

    /// `public` (default), `package` or `internal`.
    public var accessLevel: AccessLevel
    /// Modules to import besides the runtime's (EventCore; EventProcessing when generating
    /// handlers) and Foundation.
    public var imports: [String]
    /// The encoding of contracts that do not declare one (`encoding:` in `eventc-config.yaml`).
    public var defaultEncoding: EventEncoding
    /// What to generate: both modes by default. `eventc` refuses an empty set, which would leave
    /// each file only its version check.
    public var modes: Set<Mode>

    /// Options; the defaults give public types and handler protocols, no extra imports, JSON.
    public init(
        accessLevel: AccessLevel = .public, imports: [String] = [], defaultEncoding: EventEncoding = .json,
        modes: Set<Mode> = Set(Mode.allCases)
    ) {
        self.accessLevel = accessLevel
        self.imports = imports
        self.defaultEncoding = defaultEncoding
        self.modes = modes
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
