import Foundation

/// The documentation users read, as tests check it: the README, CONTRIBUTING.md and every article
/// of the DocC catalogs (`Sources/*/*.docc/**/*.md`), in a fixed order (by path), so what a test
/// writes from them is the same on every machine.
public enum Documentation {
    /// A documentation file: its path from the repository's root, and its text.
    public struct File: Sendable {
        /// Its path from the repository's root (`Sources/eventc/eventc.docc/Rules.md`).
        public let path: String
        /// Its text.
        public let text: String
    }

    /// Every documentation file, by path.
    public static func files() throws -> [File] {
        var paths = ["CONTRIBUTING.md", "README.md"]
        for catalog in try catalogs() {
            let enumerator = FileManager.default.enumerator(atPath: repositoryRoot.appendingPathComponent(catalog).path)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".md") { paths.append("\(catalog)/\(relative)") }
            }
        }
        return try paths.sorted().map(file)
    }

    /// The files the DocC tutorials show (`Sources/*/*.docc/Resources/tutorial-*`), by path: the
    /// code a reader types in step by step.
    public static func tutorialFiles() throws -> [File] {
        var paths: [String] = []
        for catalog in try catalogs() {
            let resources = "\(catalog)/Resources"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(resources).path)) ?? []
            paths += names.filter { $0.hasPrefix("tutorial-") && !$0.hasSuffix(".png") }.map { "\(resources)/\($0)" }
        }
        return try paths.sorted().map(file)
    }

    /// Every DocC catalog's folder, from the repository's root: `Sources/<module>/<name>.docc`.
    static func catalogs() throws -> [String] {
        let sources = repositoryRoot.appendingPathComponent("Sources")
        return try FileManager.default.contentsOfDirectory(atPath: sources.path).flatMap { module in
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(module).path)) ?? []
            return folders.filter { $0.hasSuffix(".docc") }.map { "Sources/\(module)/\($0)" }
        }
    }

    /// The file at `path` from the repository's root.
    public static func file(_ path: String) throws -> File {
        File(path: path, text: try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8))
    }

    /// The fenced code blocks of `text` whose info string is exactly one of `languages` (`"swift"`,
    /// `"yaml"`; `""` for a bare fence), in order, each as its lines and the line its fence opens on.
    public static func codeBlocks(_ text: String, languages: Set<String>) -> [(firstLine: Int, lines: [String])] {
        var blocks: [(firstLine: Int, lines: [String])] = []
        var current: (firstLine: Int, lines: [String])?
        var inOtherBlock = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = current {
                if trimmed == "```" {
                    blocks.append(open)
                    current = nil
                } else {
                    current?.lines.append(line)
                }
            } else if inOtherBlock {
                if trimmed == "```" { inOtherBlock = false }
            } else if trimmed.hasPrefix("```") {
                let info = String(trimmed.dropFirst(3))
                if languages.contains(info) { current = (index + 2, []) } else { inOtherBlock = true }
            }
        }
        return blocks
    }
}
