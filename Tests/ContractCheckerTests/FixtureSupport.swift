import ContractChecker
import ContractModel
import Foundation

/// Bad-input fixtures: each file under Fixtures/rules states the diagnostics it must produce, one
/// `# expect: RULE_ID line:column` comment per diagnostic. A fixture is a file named after the
/// rule, or a folder of files for rules that need several contracts.
struct RuleFixture: CustomStringConvertible {
    struct Expectation: Hashable, CustomStringConvertible {
        var file: String
        var rule: String
        var line: Int
        var column: Int
        var description: String { "\(file):\(line):\(column) \(rule)" }
    }

    var name: String
    var files: [SourceFile]
    var expectations: Set<Expectation>

    var description: String { name }

    static var rulesDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/rules")
    }

    static func all() throws -> [RuleFixture] {
        let manager = FileManager.default
        let entries = try manager.contentsOfDirectory(atPath: rulesDirectory.path).sorted()
        return try entries.map { entry in
            let url = rulesDirectory.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
            let paths = isDirectory.boolValue
                ? try manager.contentsOfDirectory(atPath: url.path).sorted().map { "\(entry)/\($0)" }
                : [entry]
            let files = try paths.map { path in
                SourceFile(path: path, bytes: Array(try Data(contentsOf: rulesDirectory.appendingPathComponent(path))))
            }
            let name = entry.hasSuffix(".yaml") ? String(entry.dropLast(5)) : entry
            return RuleFixture(name: name, files: files, expectations: Set(files.flatMap(expectations(in:))))
        }
    }

    static func expectations(in file: SourceFile) -> [Expectation] {
        let text = String(decoding: file.bytes, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# expect: ") else { return nil }
            let parts = line.dropFirst("# expect: ".count).split(separator: " ")
            let position = parts[1].split(separator: ":")
            return Expectation(file: file.path, rule: String(parts[0]), line: Int(position[0])!, column: Int(position[1])!)
        }
    }
}
