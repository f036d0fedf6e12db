import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import EventcCommandLine
import EventCore

/// `eventc-config.yaml`, beside a target's `Contracts/` folder (swift-openapi-generator's
/// `openapi-generator-config.yaml` is the model): how the code generated for that target looks.
/// The build plugin passes it to `eventc generate --config`.
///
/// ```yaml
/// accessModifier: public          # public, package or internal (the plugin's default: internal)
/// additionalImports: [Foundation] # modules the generated files import besides the runtime's
/// encoding: avro                  # json or avro: for contracts that do not say (default: json)
/// generate: [types]               # types and/or handlers (default: both)
/// ```
enum GeneratorConfigFile {
    static let fileName = "eventc-config.yaml"
    static let keys = ["accessModifier", "additionalImports", "encoding", "generate"]

    /// The options the file sets over `base`, or the problems with it, located.
    static func read(_ bytes: [UInt8], file: String, over base: GeneratorOptions) -> Result<GeneratorOptions, ConfigError> {
        let yaml = YAMLReader.read(bytes, file: file)
        if let problem = yaml.diagnostics.first { return .failure(ConfigError(diagnostics: [problem])) }
        var options = base
        var problems: [Diagnostic] = []
        guard let root = yaml.root, case .mapping(let entries) = root.content else {
            let at = yaml.root?.location ?? SourceLocation(file: file, line: 1, column: 1)
            return .failure(ConfigError(diagnostics: [.error(
                .wrongShape, "\(fileName) must be a mapping of settings", at: at, hint: "for example: accessModifier: public")]))
        }
        for entry in entries {
            switch entry.key {
            case "accessModifier":
                guard case .scalar(let text, _) = entry.value.content, let level = GeneratorOptions.AccessLevel(rawValue: text) else {
                    problems.append(.error(
                        .invalidValue, "accessModifier must be public, package or internal", at: entry.value.location,
                        hint: "public makes the generated types usable from other targets"))
                    continue
                }
                options.accessLevel = level
            case "additionalImports":
                guard case .sequence(let items) = entry.value.content else {
                    problems.append(.error(.wrongShape, "additionalImports must be a list of module names", at: entry.value.location,
                                           hint: "for example: additionalImports: [Foundation]"))
                    continue
                }
                for item in items {
                    guard case .scalar(let module, _) = item.content, GenerateRun.isModuleName(module) else {
                        problems.append(.error(.invalidValue, "not a module name", at: item.location))
                        continue
                    }
                    options.imports.append(module)
                }
            case "encoding":
                guard case .scalar(let text, _) = entry.value.content, let encoding = EventEncoding(rawValue: text) else {
                    problems.append(.error(
                        .invalidValue, "encoding must be json or avro", at: entry.value.location,
                        hint: "the encoding of contracts that do not declare one"))
                    continue
                }
                options.defaultEncoding = encoding
            case "generate":
                if let problem = readModes(entry.value, into: &options) { problems.append(problem) }
            default:
                problems.append(.error(
                    .unknownKey, "unknown setting '\(entry.key)' in \(fileName)", at: entry.keyLocation,
                    hint: Suggestion.closest(to: entry.key, among: keys).map { "did you mean '\($0)'?" }
                        ?? "settings: \(keys.joined(separator: ", "))"))
            }
        }
        return problems.isEmpty ? .success(options) : .failure(ConfigError(diagnostics: problems))
    }

    /// `generate: [types, handlers]`, a non-empty list of modes, into `options`; or the problem.
    private static func readModes(_ value: ValueNode, into options: inout GeneratorOptions) -> Diagnostic? {
        let hint = "for example: generate: [types] (a library of event types), or [types, handlers]"
        guard case .sequence(let items) = value.content, !items.isEmpty else {
            return .error(.wrongShape, "generate must be a non-empty list of types and handlers", at: value.location, hint: hint)
        }
        var modes: Set<GeneratorOptions.Mode> = []
        for item in items {
            guard case .scalar(let text, _) = item.content, let mode = GeneratorOptions.Mode(rawValue: text) else {
                return .error(.invalidValue, "a mode is types or handlers", at: item.location, hint: hint)
            }
            modes.insert(mode)
        }
        options.modes = modes
        return nil
    }

    struct ConfigError: Error {
        var diagnostics: [Diagnostic]
    }
}

extension GeneratorConfigFile {
    /// The file at `path`'s settings over `base`, or the outcome that refuses it (unreadable, or
    /// with its problems located).
    static func load(_ path: String, over base: GeneratorOptions) -> Result<GeneratorOptions, Refusal> {
        let bytes: [UInt8]
        do {
            bytes = try ContractSources.read(path)
        } catch {
            return .failure(Refusal(outcome: .usageOrIOError("\(error)")))
        }
        switch read(bytes, file: path, over: base) {
        case .success(let configured):
            return .success(configured)
        case .failure(let error):
            let source = String(decoding: bytes, as: UTF8.self)
            return .failure(Refusal(outcome: CommandOutcome(
                output: "", errorOutput: DiagnosticFormatter.text(error.diagnostics, sources: [path: source], fileCount: 1),
                exitCode: EventcExit.usageOrIO)))
        }
    }

    /// The encoding the file at `path` gives contracts that declare none (JSON without a file).
    static func defaultEncoding(_ path: String?) -> Result<EventEncoding, Refusal> {
        guard let path else { return .success(.json) }
        return load(path, over: GeneratorOptions()).map(\.defaultEncoding)
    }

    /// A config file that could not be used: the outcome to return.
    struct Refusal: Error {
        var outcome: CommandOutcome
    }
}
