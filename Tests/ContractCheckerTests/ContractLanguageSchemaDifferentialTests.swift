import ContractChecker
import ContractModel
import ContractParser
import Foundation
import Testing
import ToolTestSupport

/// The contract language's JSON Schema, read by Python's jsonschema as an editor's YAML language
/// server reads it (the file loaded as YAML 1.2, by ruamel.yaml), on every contract of the
/// repository and every rule fixture: each file the schema refuses must be one `eventc check`
/// refuses too, so an editor never marks a good contract as wrong. It must also refuse the
/// fixtures of the mistakes it can see (an unknown key, a missing one, a wrong shape or value).
@Suite("Contract language schema, against jsonschema")
struct ContractLanguageSchemaDifferentialTests {
    static let python = ExternalTool.python(importing: ["jsonschema", "ruamel.yaml"], environment: "EVENTC_JSONSCHEMA_PYTHON")

    /// Validates each path read from standard input; prints `[{path, refused, reason}]`.
    static let validator = """
        import datetime, json, sys
        import jsonschema
        from ruamel.yaml import YAML
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        def plain(value, seen):  # YAML 1.2 has no timestamps: the language server sees text
            if id(value) in seen: return seen[id(value)]  # an alias is converted once (an alias bomb stays small)
            if isinstance(value, dict): result = {str(k): plain(v, seen) for k, v in value.items()}
            elif isinstance(value, list): result = [plain(v, seen) for v in value]
            elif isinstance(value, (datetime.date, datetime.datetime)): result = value.isoformat()
            else: return value
            seen[id(value)] = result
            return result
        results = []
        for path in sys.stdin.read().splitlines():
            try:
                data = plain(YAML(typ="safe", pure=True).load(open(path, "rb")), {})
            except Exception as error:
                results.append({"path": path, "refused": True, "reason": "not YAML: " + type(error).__name__})
                continue
            errors = list(validator.iter_errors(data))
            results.append({"path": path, "refused": bool(errors), "reason": errors[0].message if errors else ""})
        json.dump(results, sys.stdout)
        """

    struct Verdict: Decodable {
        var path: String
        var refused: Bool
        var reason: String
    }

    /// Every contract file of the repository: the example domain, the examples' and the rule fixtures.
    static func contractFiles() throws -> [String] {
        let folders = ["Contracts", "Examples", "Tests/ContractCheckerTests/Fixtures"]
        return try folders.flatMap { folder -> [String] in
            let root = repositoryRoot.appendingPathComponent(folder)
            return try FileManager.default.subpathsOfDirectory(atPath: root.path)
                .filter { $0.hasSuffix(".yaml") && !$0.contains(".build/") && !$0.hasSuffix("eventc-config.yaml") }
                .map { root.appendingPathComponent($0).path }
        }.sorted()
    }

    @Test("a file the schema refuses is one eventc check refuses; the mistakes a schema can see are refused",
          .enabled(if: python != nil, "needs .venv with jsonschema and ruamel.yaml (bash .ci/install)"))
    func schemaRefusesOnlyWhatEventcRefuses() throws {
        let python = try #require(Self.python)
        let schemaFile = FileManager.default.temporaryDirectory.appendingPathComponent("contract-schema-\(UUID().uuidString).json")
        try Data((ContractLanguageSchema.document.rendered() + "\n").utf8).write(to: schemaFile)
        defer { try? FileManager.default.removeItem(at: schemaFile) }
        let files = try Self.contractFiles()
        #expect(files.count > 60, "the contracts were not found")
        let output = try ExternalTool.run(python, ["-c", Self.validator, schemaFile.path], input: Data(files.joined(separator: "\n").utf8))
        let verdicts = try JSONDecoder().decode([Verdict].self, from: output)
        #expect(verdicts.count == files.count)
        for verdict in verdicts where verdict.refused {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: verdict.path)))
            let report = CheckPipeline().run([SourceFile(path: verdict.path, bytes: bytes)])
            #expect(report.errorCount > 0, "the schema refuses \(verdict.path) (\(verdict.reason)), which eventc check accepts")
        }
        let refused = Set(verdicts.filter(\.refused).map { URL(fileURLWithPath: $0.path).lastPathComponent })
        for mistake in ["UNKNOWN_KEY", "MISSING_REQUIRED", "WRONG_SHAPE", "INVALID_VALUE", "INVALID_EVENT_NAME", "PARTITIONS_OUT_OF_RANGE"] {
            #expect(refused.contains("\(mistake).yaml"), "the schema accepts the \(mistake) fixture")
        }
        let accepted = verdicts.filter { !$0.refused && $0.path.contains("/Contracts/") }
        #expect(accepted.count >= 9, "the example contracts should pass the schema")
    }
}
