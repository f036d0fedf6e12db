import ContractModel
import EventCore

/// One version of a contract together with the named types it sees: one side of a comparison.
public struct SchemaVersion: Sendable {
    /// The version.
    public var version: ContractVersion
    /// The named types the version sees: its own `types:` over the contract's shared ones.
    public var scope: TypeScope

    /// A version with the types it sees.
    public init(version: ContractVersion, scope: TypeScope) {
        self.version = version
        self.scope = scope
    }

    /// `version` of `contract`, with the types that version sees.
    public init(_ contract: Contract, _ version: ContractVersion) {
        self.init(version: version, scope: contract.typeScope(for: version))
    }

    /// The version's number.
    public var number: Int { version.number.value }
}

/// One reason a reader cannot read what a writer wrote.
public struct Incompatibility: Hashable, Sendable {
    /// Which compatibility rule it breaks (`COMPAT_MISSING_DEFAULT`…).
    public var rule: RuleID
    /// The field path: `total.currency`, `items[].sku`, `tags{}.amount`.
    public var path: String
    /// The version reading.
    public var readerVersion: Int
    /// The version that wrote.
    public var writerVersion: Int
    /// In the newer of the two versions: the field, or the version itself when the field is gone.
    public var location: SourceLocation
    /// What breaks, in a sentence.
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?

    /// The finding as a diagnostic of `severity`, with the compatibility details the JSON output carries.
    public func diagnostic(severity: Severity, mode: CompatibilityLevel?) -> Diagnostic {
        Diagnostic(
            severity, rule, message, at: location, hint: hint,
            compatibility: CompatibilityDetail(
                path: path, readerVersion: readerVersion, writerVersion: writerVersion, mode: mode))
    }
}

/// Avro's schema resolution, on contract versions: can data written with `writer` be read with
/// `reader`? Returns every incompatibility, not only the first.
///
/// - Fields match by name or by the reader field's `aliases`; a reader field the writer lacks
///   needs a default (an optional field defaults to null). Writer fields the reader lacks are skipped.
/// - Promotions: int → long, float, double; long → float, double; float → double. Nothing else:
///   not string ↔ bytes (bytes are base64 on our JSON wire), and decimal, uuid, timestamp and date
///   match only themselves (their JSON text differs from their Avro base types').
/// - `T` → `T?` reads; `T?` → `T` does not.
/// - Enums: a writer symbol the reader lacks breaks unless the reader's enum has a default.
/// - Named types compare by structure; a pair already being compared is assumed compatible, so
///   recursive types terminate (as Avro's checker does).
public enum SchemaCompatibility {
    /// Every reason `reader` cannot read data written by `writer`; empty when it can.
    public static func canRead(reader: SchemaVersion, writer: SchemaVersion) -> [Incompatibility] {
        var walk = CompatibilityWalk(reader: reader, writer: writer)
        walk.compareFields(
            reader.version.fields, writer.version.fields, prefix: "",
            readerFallback: reader.version.number.location, writerFallback: writer.version.number.location)
        return walk.found
    }

    /// Whether `reader` reads `writer`: Avro's promotion table.
    public static func promotes(_ writer: PrimitiveType, to reader: PrimitiveType) -> Bool {
        if writer == reader { return true }
        switch (writer, reader) {
        case (.int, .long), (.int, .float), (.int, .double), (.long, .float), (.long, .double), (.float, .double):
            return true
        default:
            return false
        }
    }
}

private struct CompatibilityWalk {
    let reader: SchemaVersion
    let writer: SchemaVersion
    var found: [Incompatibility] = []
    /// Named-type pairs under comparison, for recursion. A stack, not a set: it is only as deep as
    /// the types nest, and hashing a pair per comparison was a tenth of `eventc check`.
    var visiting: [(reader: String, writer: String)] = []

    init(reader: SchemaVersion, writer: SchemaVersion) {
        self.reader = reader
        self.writer = writer
    }

    private var readerIsNewer: Bool { reader.number >= writer.number }

    private func newer(reader readerLocation: SourceLocation?, writer writerLocation: SourceLocation?,
                       readerFallback: SourceLocation, writerFallback: SourceLocation) -> SourceLocation
    {
        readerIsNewer ? (readerLocation ?? readerFallback) : (writerLocation ?? writerFallback)
    }

    private mutating func report(_ rule: RuleID, _ path: String, at location: SourceLocation, _ message: String,
                                 hint: String?)
    {
        found.append(Incompatibility(
            rule: rule, path: path, readerVersion: reader.number, writerVersion: writer.number, location: location,
            message: message, hint: hint))
    }

    /// Works on indices: copying a `Field` per comparison retained a dozen references and was
    /// a third of the history check.
    mutating func compareFields(_ readerFields: [Field], _ writerFields: [Field], prefix: String,
                                readerFallback: SourceLocation, writerFallback: SourceLocation)
    {
        // Records are small; index the writer's fields only when a scan per field would add up.
        let index: [String: Int]? = writerFields.count > 12
            ? Dictionary(writerFields.indices.map { (writerFields[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
            : nil
        func writerIndex(named name: String) -> Int? {
            if let index { return index[name] }
            return writerFields.firstIndex { $0.name == name }
        }
        for r in readerFields.indices {
            let name = readerFields[r].name
            let path = prefix + name
            guard let w = writerIndex(named: name) ?? readerFields[r].aliases.lazy.compactMap({ writerIndex(named: $0.value) }).first
            else {
                if !readerFields[r].hasDefault {
                    let location = newer(reader: readerFields[r].location, writer: nil,
                                         readerFallback: readerFallback, writerFallback: writerFallback)
                    let message = readerIsNewer
                        ? "version \(reader.number) adds '\(path)' without a default, so it cannot read events written by version \(writer.number)"
                        : "version \(writer.number) drops '\(path)', which version \(reader.number) reads and has no default for"
                    let hint = readerIsNewer
                        ? "give '\(name)' a default, or make it optional"
                        : "keep '\(name)' in version \(writer.number); a field can be dropped only if older readers have a default for it"
                    report(.compatMissingDefault, path, at: location, message, hint: hint)
                }
                continue
            }
            guard let readerType = readerFields[r].type, let writerType = writerFields[w].type else { continue }
            compare(readerType, writerType, path: path,
                    readerLocation: readerFields[r].typeLocation, writerLocation: writerFields[w].typeLocation)
            if !readerFields[r].rules.isEmpty { compareRules(readerFields[r], writerFields[w], path: path) }
        }
    }

    /// The reader validates what it decodes with its own rules: a rule tighter than the writer's
    /// refuses events the writer was allowed to write. Newer reader: the rule was tightened
    /// (BACKWARD); older reader: the writer's was loosened (FORWARD).
    private mutating func compareRules(_ readerField: Field, _ writerField: Field, path: String) {
        var resolver = DataRuleResolver()
        let readerRules = resolver.resolve(readerField)
        let writerRules = resolver.resolve(writerField)
        let narrowings = RuleNarrowing.narrowings(reader: readerRules, writer: writerRules)
        guard !narrowings.isEmpty else { return }
        let location = readerIsNewer
            ? readerField.rules.first?.keyLocation ?? readerField.location
            : writerField.rules.first?.keyLocation ?? writerField.location
        if readerIsNewer {
            let changes = narrowings.map { "\($0.writer) → \($0.reader)" }.joined(separator: ", ")
            report(.compatRuleTightened, path, at: location,
                   "version \(reader.number) tightens the rules of '\(path)' (\(changes)): its readers refuse events version \(writer.number) allowed",
                   hint: "keep version \(writer.number)'s rule, or declare 'breaking:' if no event written breaks the new one")
        } else {
            let changes = narrowings.map { "\($0.reader) → \($0.writer)" }.joined(separator: ", ")
            report(.compatRuleLoosened, path, at: location,
                   "version \(writer.number) loosens the rules of '\(path)' (\(changes)): readers on version \(reader.number) refuse events it allows",
                   hint: "keep version \(reader.number)'s rule until its readers upgrade")
        }
    }

    mutating func compare(_ readerType: TypeExpression, _ writerType: TypeExpression, path: String,
                          readerLocation: SourceLocation, writerLocation: SourceLocation)
    {
        let location = readerIsNewer ? readerLocation : writerLocation
        switch (readerType, writerType) {
        case (.optional(let r), .optional(let w)):
            compare(r, w, path: path, readerLocation: readerLocation, writerLocation: writerLocation)
        case (.optional(let r), _):
            compare(r, writerType, path: path, readerLocation: readerLocation, writerLocation: writerLocation)
        case (_, .optional):
            report(.compatOptionalToRequired, path, at: location,
                   "'\(path)' is '\(writerType)' in version \(writer.number) but '\(readerType)' in version \(reader.number): a null cannot be read",
                   hint: "keep '\(path)' optional; a value that may be absent cannot become required")
        case (.primitive(let r), .primitive(let w)):
            if !SchemaCompatibility.promotes(w, to: r) { mismatch(readerType, writerType, path: path, at: location) }
        case (.array(let r), .array(let w)):
            compare(r, w, path: path + "[]", readerLocation: readerLocation, writerLocation: writerLocation)
        case (.map(let r), .map(let w)):
            compare(r, w, path: path + "{}", readerLocation: readerLocation, writerLocation: writerLocation)
        case (.named(let r), .named(let w)):
            compareNamed(r, w, path: path, at: location, readerLocation: readerLocation, writerLocation: writerLocation)
        default:
            mismatch(readerType, writerType, path: path, at: location)
        }
    }

    private mutating func compareNamed(_ readerName: String, _ writerName: String, path: String, at location: SourceLocation,
                                       readerLocation: SourceLocation, writerLocation: SourceLocation)
    {
        // Unknown names are reported by lint; nothing sensible to compare here.
        guard let readerType = reader.scope[readerName], let writerType = writer.scope[writerName] else { return }
        // A shared type seen from two versions is one declaration, and reads itself.
        if readerType.name.location == writerType.name.location { return }
        guard !visiting.contains(where: { $0.reader == readerName && $0.writer == writerName }) else { return }
        visiting.append((readerName, writerName))
        defer { visiting.removeLast() }
        switch (readerType.kind, writerType.kind) {
        case (.record(let readerFields), .record(let writerFields)):
            compareFields(readerFields, writerFields, prefix: path + ".",
                          readerFallback: readerLocation, writerFallback: writerLocation)
        case (.enumeration(let readerSymbols, let readerDefault), .enumeration(let writerSymbols, _)):
            if readerSymbols.map(\.value) == writerSymbols.map(\.value) { return }
            let known = Set(readerSymbols.map(\.value))
            let missing = writerSymbols.map(\.value).filter { !known.contains($0) }
            let hasDefault = readerDefault.map { known.contains($0.value) } ?? false
            guard !missing.isEmpty, !hasDefault else { return }
            let list = missing.joined(separator: ", ")
            let message = readerIsNewer
                ? "enum '\(readerName)' of version \(reader.number) drops \(list), which version \(writer.number) writes in '\(path)'"
                : "version \(writer.number) writes \(list) in '\(path)', which enum '\(readerName)' of version \(reader.number) lacks"
            report(.compatEnumSymbolMissing, path, at: location, message,
                   hint: "keep symbol \(missing[0]) or give enum '\(readerName)' a default")
        default:
            mismatch(.named(readerName), .named(writerName), path: path, at: location)
        }
    }

    private mutating func mismatch(_ readerType: TypeExpression, _ writerType: TypeExpression, path: String,
                                   at location: SourceLocation)
    {
        report(.compatTypeMismatch, path, at: location,
               "'\(path)' is '\(writerType)' in version \(writer.number) but '\(readerType)' in version \(reader.number)",
               hint: "a type changes only by promotion (int → long, float, double; long → float, double; float → double); add a new field instead")
    }
}
