/// A `pattern:` rule: a regular expression in the subset of ECMA-262 (the dialect JSON Schema's
/// `pattern` names) whose meaning is the same in JSON Schema validators, Java's
/// `java.util.regex` and Python's `re` on ASCII text, and here.
///
/// The subset: literal characters; `.`; `^` and `$` (the start and the end of the string: no
/// multiline mode); `[…]` and `[^…]` with ranges; the escapes `\d \D \w \W \s \S` (ASCII digits
/// and word characters, ECMA-262's white space), `\t \n \r \f \v`, `\xHH`, `\uHHHH`, and a
/// backslash before any of `^ $ \ . * + ? ( ) [ ] { } | / -`; groups `(…)` and `(?:…)`;
/// alternation `|`; the quantifiers `* + ? {n} {n,} {n,m}` (each may end in `?`: laziness
/// changes what a match captures, not whether there is one). Anything else — backreferences,
/// lookaround, named groups, `\b`, `\p{…}`, flags — is refused with the offset it starts at.
///
/// As in JSON Schema, a string satisfies the pattern when the pattern matches somewhere in it:
/// anchor it with `^…$` to constrain the whole string. `.` matches any Unicode scalar but the
/// line terminators (`\n`, `\r`, U+2028, U+2029).
///
/// Matching is a Pike VM over the string's Unicode scalars: time linear in the string's length
/// times the pattern's size, whatever the pattern (no backtracking, so no pattern makes a
/// validator hang). Swift's `Regex` was not used: it matches grapheme clusters and Unicode
/// digits by default, and cost several microseconds per match where this costs tens of
/// nanoseconds for the patterns contracts use (`Benchmarks`: `rules.pattern_match`).
public struct EventPattern: Sendable, Hashable, CustomStringConvertible {
    /// The compiled program, which also keeps the source and the example: one reference, so a
    /// copy of a pattern (or of the rules holding it) retains one object.
    let matcher: PatternMatcher

    /// The pattern as written.
    public var source: String { matcher.source }
    /// A short string the pattern matches (the catalog's examples use it).
    public var example: String { matcher.example }

    /// The most instructions a pattern compiles to (`a{1000}{1000}` is refused, not built).
    public static let maximumSize = 10_000

    /// The pattern, or why it is outside the subset (with the offset, in Unicode scalars, of
    /// the construct refused).
    public init(_ source: String) throws(EventPatternError) {
        var parser = PatternParser(Array(source.unicodeScalars))
        let node = try parser.parse()
        var compiler = PatternCompiler()
        try compiler.compile(node)
        compiler.emit(.match)
        self.matcher = PatternMatcher(source: source, compiler.program, anchoredAtStart: node.startsWithAnchor, example: node.example)
    }

    /// A pattern in generated code, which `eventc` verified: a pattern outside the subset stops
    /// the program, as a malformed literal is a mistake in the code. Text from input goes
    /// through `init(_:)`, which throws. (Not `ExpressibleByStringLiteral`: then
    /// `try EventPattern("…")` would take this path and stop instead of throwing.)
    public init(verified value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("'\(value)' is not a pattern eventc accepts: \(error)")
        }
    }

    /// The pattern as written.
    public var description: String { source }

    /// Two patterns are equal when written alike.
    public static func == (a: EventPattern, b: EventPattern) -> Bool { a.source == b.source }

    /// Hashes the source.
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// Whether the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        matcher.matches(text)
    }
}

/// Why a pattern is refused: what, and where (Unicode scalars from the pattern's start).
public struct EventPatternError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what to write instead.
    public var message: String
    /// Where, in Unicode scalars from the start of the pattern.
    public var offset: Int

    /// An error at `offset`.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The message and where.
    public var description: String { "\(message) (at offset \(offset))" }
}

/// A set of Unicode scalars as sorted, disjoint ranges.
struct ScalarSet: Hashable, Sendable {
    var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF
    static let digits = ScalarSet(ranges: [0x30...0x39])
    static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// ECMA-262's WhiteSpace and LineTerminator.
    static let space = ScalarSet(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
        0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    static let lineTerminators = ScalarSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])

    /// The same ranges, sorted and merged.
    static func normalized(_ ranges: [ClosedRange<UInt32>]) -> ScalarSet {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return ScalarSet(ranges: merged)
    }

    /// Every scalar not in the set.
    var complement: ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= Self.maxScalar, !(ranges.last?.upperBound == Self.maxScalar) { result.append(next...Self.maxScalar) }
        return ScalarSet(ranges: result)
    }

    /// A member that reads well in an example: a lowercase or uppercase letter, a digit, or else
    /// the first member that is a scalar.
    var exampleScalar: UInt32 {
        for preferred in [UInt32(0x61), 0x41, 0x30] where contains(preferred) { return preferred }
        for range in ranges {
            for scalar in range.lowerBound...min(range.upperBound, range.lowerBound + 0x800) where scalar > 0x20 && Unicode.Scalar(scalar) != nil {
                return scalar
            }
        }
        return 0x61
    }

    func contains(_ scalar: UInt32) -> Bool {
        // Sets are a handful of ranges: a linear scan beats a binary search at that size.
        for range in ranges {
            if scalar < range.lowerBound { return false }
            if scalar <= range.upperBound { return true }
        }
        return false
    }
}

/// A parsed pattern.
indirect enum PatternNode: Hashable, Sendable {
    case empty
    case set(ScalarSet)
    case start
    case end
    case sequence([PatternNode])
    case alternation([PatternNode])
    case repetition(PatternNode, min: Int, max: Int?)

    /// A string the node matches: each repetition its least count, each alternation its first
    /// branch, each set a letter or digit it holds where it holds one.
    var example: String {
        switch self {
        case .empty, .start, .end: ""
        case .set(let set): String(Character(Unicode.Scalar(set.exampleScalar) ?? "a"))
        case .sequence(let nodes): nodes.map(\.example).joined()
        case .alternation(let branches): branches.first?.example ?? ""
        case .repetition(let node, let min, _): String(repeating: node.example, count: min)
        }
    }

    var startsWithAnchor: Bool {
        switch self {
        case .start: true
        case .sequence(let nodes): nodes.first?.startsWithAnchor ?? false
        case .alternation(let nodes): nodes.allSatisfy(\.startsWithAnchor)
        default: false
        }
    }
}

/// Reads the subset `EventPattern` documents, refusing the rest where it starts.
struct PatternParser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    static let largestCount = 1_000

    mutating func parse() throws(EventPatternError) -> PatternNode {
        let node = try alternation()
        if index < scalars.count {
            throw EventPatternError("')' closes no group; write \\) for the character", offset: index)
        }
        return node
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternation() throws(EventPatternError) -> PatternNode {
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(EventPatternError) -> PatternNode {
        var items: [PatternNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            let start = index
            let atom = try self.atom()
            items.append(try quantified(atom, start: start))
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .sequence(items))
    }

    private mutating func quantified(_ atom: PatternNode, start: Int) throws(EventPatternError) -> PatternNode {
        guard let scalar = peek else { return atom }
        let bounds: (Int, Int?)
        switch scalar {
        case "*": bounds = (0, nil); index += 1
        case "+": bounds = (1, nil); index += 1
        case "?": bounds = (0, 1); index += 1
        case "{": bounds = try braces()
        default: return atom
        }
        if atom == .start || atom == .end {
            throw EventPatternError("an anchor cannot be repeated", offset: start)
        }
        if peek == "?" { index += 1 }  // lazy: the same strings match
        if let next = peek, next == "*" || next == "+" || next == "?" || next == "{" {
            throw EventPatternError("a quantifier cannot follow a quantifier; group the first with (?:…)", offset: index)
        }
        return .repetition(atom, min: bounds.0, max: bounds.1)
    }

    private mutating func braces() throws(EventPatternError) -> (Int, Int?) {
        let open = index
        index += 1
        guard let low = number() else {
            throw EventPatternError("'{' starts no quantifier {n}, {n,} or {n,m}; write \\{ for the character", offset: open)
        }
        var high: Int? = low
        if peek == "," {
            index += 1
            high = number()
        }
        guard peek == "}" else {
            throw EventPatternError("'{' starts no quantifier {n}, {n,} or {n,m}; write \\{ for the character", offset: open)
        }
        index += 1
        if let high, high < low {
            throw EventPatternError("{\(low),\(high)} repeats at most fewer times than at least", offset: open)
        }
        if low > Self.largestCount || (high ?? 0) > Self.largestCount {
            throw EventPatternError("a count above \(Self.largestCount); use a length rule instead", offset: open)
        }
        return (low, high)
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let scalar = peek, ("0"..."9").contains(scalar) {
            value = min((value ?? 0) * 10 + Int(scalar.value - 0x30), 1_000_000)
            index += 1
        }
        return value
    }

    private mutating func atom() throws(EventPatternError) -> PatternNode {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "^": return .start
        case "$": return .end
        case ".": return .set(ScalarSet.lineTerminators.complement)
        case "(":
            if peek == "?" {
                guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
                    throw EventPatternError("lookaround, named groups and flags are outside the pattern subset; use (…) or (?:…)", offset: start)
                }
                index += 2
            }
            let inner = try alternation()
            guard peek == ")" else { throw EventPatternError("'(' is never closed", offset: start) }
            index += 1
            return inner
        case "[": return .set(try characterClass(start: start))
        case "\\": return .set(try escape(start: start, inClass: false))
        case "*", "+", "?":
            throw EventPatternError("'\(scalar)' repeats nothing; write \\\(scalar) for the character", offset: start)
        case "{", "}", "]":
            throw EventPatternError("write \\\(scalar) for the character '\(scalar)'", offset: start)
        default:
            return .set(ScalarSet(ranges: [scalar.value...scalar.value]))
        }
    }

    private mutating func characterClass(start: Int) throws(EventPatternError) -> ScalarSet {
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        if peek == "]" {
            throw EventPatternError("an empty class matches nothing in JSON Schema but ']' in Python; write \\] for the character", offset: index)
        }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let scalar = peek else { throw EventPatternError("'[' is never closed", offset: start) }
            if scalar == "]" {
                index += 1
                break
            }
            let itemStart = index
            let low = try classItem()
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                let highStart = index
                let high = try classItem()
                guard let lowScalar = Self.single(low), let highScalar = Self.single(high) else {
                    throw EventPatternError("a range needs a character at each end, not a class such as \\d", offset: itemStart)
                }
                guard lowScalar <= highScalar else {
                    throw EventPatternError("the range's end comes before its start", offset: highStart)
                }
                ranges.append(lowScalar...highScalar)
            } else {
                ranges += low.ranges
            }
        }
        let set = ScalarSet.normalized(ranges)
        return negated ? set.complement : set
    }

    private static func single(_ set: ScalarSet) -> UInt32? {
        guard set.ranges.count == 1, set.ranges[0].lowerBound == set.ranges[0].upperBound else { return nil }
        return set.ranges[0].lowerBound
    }

    private mutating func classItem() throws(EventPatternError) -> ScalarSet {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "\\": return try escape(start: start, inClass: true)
        case "[": throw EventPatternError("write \\[ for '[' inside a class", offset: start)
        default: return ScalarSet(ranges: [scalar.value...scalar.value])
        }
    }

    private static let syntaxCharacters: Set<Unicode.Scalar> = ["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/", "-"]

    private mutating func escape(start: Int, inClass: Bool) throws(EventPatternError) -> ScalarSet {
        guard let scalar = peek else { throw EventPatternError("the pattern ends in a lone backslash", offset: start) }
        index += 1
        func one(_ value: UInt32) -> ScalarSet { ScalarSet(ranges: [value...value]) }
        switch scalar {
        case "d": return .digits
        case "D": return ScalarSet.digits.complement
        case "w": return .word
        case "W": return ScalarSet.word.complement
        case "s": return .space
        case "S": return ScalarSet.space.complement
        case "t": return one(0x09)
        case "n": return one(0x0A)
        case "v": return one(0x0B)
        case "f": return one(0x0C)
        case "r": return one(0x0D)
        case "x": return one(try hex(digits: 2, start: start))
        case "u": return one(try hex(digits: 4, start: start))
        default:
            guard Self.syntaxCharacters.contains(scalar) else {
                throw EventPatternError(
                    "'\\\(scalar)' is outside the pattern subset (backreferences, \\b, \\p{…} and other escapes differ between regex dialects)",
                    offset: start)
            }
            return one(scalar.value)
        }
    }

    private mutating func hex(digits: Int, start: Int) throws(EventPatternError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let scalar = peek, let digit = UInt32(String(scalar), radix: 16) else {
                throw EventPatternError("\\x takes 2 hex digits and \\u 4", offset: start)
            }
            value = value * 16 + digit
            index += 1
        }
        guard Unicode.Scalar(value) != nil else {
            throw EventPatternError("\\u\(String(value, radix: 16)) is a surrogate, not a character", offset: start)
        }
        return value
    }
}

/// One step of a compiled pattern.
enum PatternInstruction: Hashable, Sendable {
    /// Consume one scalar in the set.
    case set(ScalarSet)
    /// Go on at both targets.
    case split(Int, Int)
    /// Go on at the target.
    case jump(Int)
    /// Go on only at the string's start.
    case start
    /// Go on only at the string's end.
    case end
    /// The pattern matched.
    case match
}

/// Turns a parsed pattern into Pike VM instructions (Thompson's construction).
struct PatternCompiler {
    var program: [PatternInstruction] = []

    mutating func emit(_ instruction: PatternInstruction) { program.append(instruction) }

    /// Refuses a program past `EventPattern.maximumSize`, before and after each node, so a huge
    /// repetition stops as soon as it crosses the limit.
    private func checkSize() throws(EventPatternError) {
        guard program.count <= EventPattern.maximumSize else {
            throw EventPatternError("the pattern compiles to over \(EventPattern.maximumSize) steps; use smaller counts or a length rule", offset: 0)
        }
    }

    mutating func compile(_ node: PatternNode) throws(EventPatternError) {
        try checkSize()
        switch node {
        case .empty: break
        case .set(let set): emit(.set(set))
        case .start: emit(.start)
        case .end: emit(.end)
        case .sequence(let nodes):
            for node in nodes { try compile(node) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = program.count
                    emit(.split(split + 1, 0))
                    try compile(branch)
                    jumps.append(program.count)
                    emit(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try compile(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repetition(let body, let min, let max):
            for _ in 0..<min { try compile(body) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    emit(.split(program.count + 1, 0))
                    try compile(body)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                emit(.split(loop + 1, 0))
                try compile(body)
                emit(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
        try checkSize()
    }
}
