import Foundation
import Testing
import ToolTestSupport

@testable import EventCore

/// Random patterns of the subset against an independent engine (Python's `re`, as Python's
/// `jsonschema` runs a `pattern`), and the ASCII automaton against the Pike VM it was built from.
@Suite("Patterns: differential")
struct PatternDifferentialTests {
    static let python = ExternalTool.python(importing: ["re", "json"])

    /// A random pattern of the subset: literals, `.`, classes, escapes, groups, alternation,
    /// quantifiers, anchors at the ends.
    struct RandomPattern {
        var random: SplitMix64

        mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

        mutating func atom(depth: Int) -> String {
            switch random.next() % (depth > 1 ? 5 : 7) {
            case 0, 1: return pick(["a", "b", "c", "A", "0", "1", "-", "_", "\\.", " "])
            case 2: return pick([".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S"])
            case 3: return pick(["[a-c]", "[^ab]", "[A-Z0-9]", "[-a]", "[\\d.]", "[^\\w]", "[ _]"])
            case 4: return pick(["a", "b"])
            default: return (random.next() % 2 == 0 ? "(" : "(?:") + alternation(depth: depth + 1) + ")"
            }
        }

        mutating func quantified(depth: Int) -> String {
            let atom = self.atom(depth: depth)
            switch random.next() % 8 {
            case 0: return atom + "*"
            case 1: return atom + "+"
            case 2: return atom + "?"
            case 3: return atom + "{\(random.next() % 3)}"
            case 4: return atom + "{\(random.next() % 2),\(2 + random.next() % 2)}"
            case 5: return atom + "{1,}" + (random.next() % 2 == 0 ? "?" : "")
            default: return atom
            }
        }

        mutating func alternation(depth: Int) -> String {
            let branches = 1 + Int(random.next() % (depth > 1 ? 1 : 3))
            return (0..<branches).map { _ in (0..<(1 + Int(random.next() % 3))).map { _ in quantified(depth: depth) }.joined() }
                .joined(separator: "|")
        }

        mutating func pattern() -> String {
            (random.next() % 3 == 0 ? "^" : "") + alternation(depth: 0) + (random.next() % 3 == 0 ? "$" : "")
        }

        /// ASCII text without line terminators: where `.` and `$` differ between ECMA-262 and
        /// Python (`$` before a final newline), the engines are not compared.
        mutating func text() -> String {
            String((0..<Int(random.next() % 9)).map { _ in pick(Array("abcAB01-._ \t")) })
        }
    }

    @Test("random patterns match what Python's re matches, on random ASCII text",
          .enabled(if: python != nil, "needs Python in .venv; .ci/run makes it"))
    func againstPython() async throws {
        let python = try #require(Self.python)
        let seed = ProcessInfo.processInfo.environment["EVENTC_DIFF_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("PatternDifferentialTests seed: \(seed) (rerun with EVENTC_DIFF_SEED=\(seed))")
        var generator = RandomPattern(random: SplitMix64(seed: seed))
        var cases: [(pattern: String, text: String, ours: Bool)] = []
        for _ in 0..<400 {
            let source = generator.pattern()
            let pattern = try EventPattern(source)
            for _ in 0..<10 {
                let text = generator.text()
                cases.append((source, text, pattern.matches(text)))
            }
        }
        let input = try JSONSerialization.data(withJSONObject: cases.map { [$0.pattern, $0.text] })
        let script = "import json, re, sys\nprint(json.dumps([re.search(p, s) is not None for p, s in json.load(sys.stdin)]))"
        let output = try await ExternalTool.run(python, ["-c", script], input: input)
        let theirs = try #require(try JSONSerialization.jsonObject(with: output) as? [Bool])
        #expect(theirs.count == cases.count)
        let differing = zip(cases, theirs).filter { $0.0.ours != $0.1 }
        for (given, verdict) in differing.prefix(5) {
            Issue.record("seed \(seed): \(given.pattern) on \(given.text.debugDescription): ours \(given.ours), Python \(verdict)")
        }
        print("PatternDifferentialTests: \(cases.count) matches compared, \(cases.filter(\.ours).count) of them matches, \(differing.count) differ")
    }

    @Test("the ASCII automaton and the Pike VM agree on random patterns and text, ASCII or not")
    func automatonAgreesWithTheVM() throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_DIFF_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("PatternDifferentialTests (automaton) seed: \(seed)")
        var generator = RandomPattern(random: SplitMix64(seed: seed))
        var compared = 0
        for _ in 0..<300 {
            let source = generator.pattern()
            let pattern = try EventPattern(source)
            for index in 0..<20 {
                var text = generator.text()
                if index % 5 == 0 { text += generator.pick(["é", "한", "\n", "😀"]) }
                let automaton = pattern.matches(text)
                let vm = pattern.matcher.matchesWithoutAutomaton(text)
                #expect(automaton == vm, "seed \(seed): \(source) on \(text.debugDescription)")
                compared += 1
            }
        }
        #expect(compared == 6_000)
    }
}
