/// A compiled pattern run as a Pike VM over a string's Unicode scalars: the threads at each
/// position are a set of instruction indices, so each position costs at most the program's
/// size, whatever the pattern.
///
/// The program is one array of plain integers, and each set keeps a bitmap of its ASCII
/// members: the loop over a string touches no reference count and, for ASCII text (the common
/// case: codes, identifiers), reads the UTF-8 bytes in place. The thread lists live in one
/// stack allocation per match. It is a class so that copying a pattern (generated code reads
/// its rules from a `static let`) retains one reference, not one per array. Measured on
/// RefundIssued's `^[A-Z]{3}$` (`eventc-bench rules`): 232 ns per match with an instruction
/// enum, arrays of scalars and lists allocated per match; this layout is what
/// `rules.pattern_match_ns_per_op` reports now (34 ns on the machine that measured 232).
final class PatternMatcher: Sendable {
    enum Operation: Int32, Sendable {
        case set, split, jump, start, end, match
    }

    /// Three words per instruction: the operation; a set's index (`set`) or a target (`split`,
    /// `jump`); a `split`'s second target.
    let code: [Int32]
    /// Two words per set: its members below 64, and from 64 to 127.
    let asciiBits: [UInt64]
    /// Each set, for scalars beyond ASCII.
    let sets: [ScalarSet]
    /// Whether every match starts at the string's start (`^…`): then only one start is tried.
    let anchoredAtStart: Bool
    /// The pattern as written.
    let source: String
    /// A string it matches.
    let example: String
    /// The same program as a DFA over ASCII, when it has one of a modest size.
    let ascii: ASCIIAutomaton?

    init(source: String, _ program: [PatternInstruction], anchoredAtStart: Bool, example: String) {
        self.source = source
        self.example = example
        var code: [Int32] = []
        var asciiBits: [UInt64] = [], sets: [ScalarSet] = []
        for instruction in program {
            var (a, b): (Int, Int) = (0, 0)
            let operation: Operation
            switch instruction {
            case .set(let set):
                operation = .set
                a = sets.count
                sets.append(set)
                var low: UInt64 = 0, high: UInt64 = 0
                for scalar in UInt32(0)..<128 where set.contains(scalar) {
                    if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
                }
                asciiBits += [low, high]
            case .split(let x, let y): (operation, a, b) = (.split, x, y)
            case .jump(let x): (operation, a) = (.jump, x)
            case .start: operation = .start
            case .end: operation = .end
            case .match: operation = .match
            }
            code += [operation.rawValue, Int32(a), Int32(b)]
        }
        self.code = code
        self.asciiBits = asciiBits
        self.sets = sets
        self.anchoredAtStart = anchoredAtStart
        self.ascii = ASCIIAutomaton(program, anchoredAtStart: anchoredAtStart)
    }

    func matches(_ text: String) -> Bool {
        let verdict = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            if let ascii { return ascii.matches(bytes) }
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return run(count: bytes.count) { UInt32(bytes[$0]) }
        }
        if let verdict = verdict ?? nil { return verdict }
        let scalars = text.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { buffer in run(count: buffer.count) { buffer[$0] } }
    }

    /// The Pike VM's verdict alone, whatever the text (tests compare it with the automaton's).
    func matchesWithoutAutomaton(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { buffer in run(count: buffer.count) { buffer[$0] } }
    }

    /// Runs the program over `count` scalars, `scalar(i)` the i-th.
    private func run(count: Int, _ scalar: (Int) -> UInt32) -> Bool {
        code.withUnsafeBufferPointer { code in
            asciiBits.withUnsafeBufferPointer { bits in run(code, bits, count: count, scalar) }
        }
    }

    private func run(_ code: UnsafeBufferPointer<Int32>, _ bits: UnsafeBufferPointer<UInt64>, count: Int, _ scalar: (Int) -> UInt32) -> Bool {
        let size = code.count / 3
        func contains(set index: Int, _ scalar: UInt32) -> Bool {
            if scalar < 64 { return bits[2 * index] & (1 << UInt64(scalar)) != 0 }
            if scalar < 128 { return bits[2 * index + 1] & (1 << UInt64(scalar - 64)) != 0 }
            return sets[index].contains(scalar)
        }
        // Per instruction: the step it was last added at; the current and next thread lists; and
        // a stack for following splits (each instruction is pushed at most twice per step).
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 5 * size + 2) { memory -> Bool in
            guard let base = memory.baseAddress else { return false }
            let addedAt = base
            var current = base + size
            var next = base + 2 * size
            let stack = base + 3 * size
            addedAt.initialize(repeating: -1, count: size)
            var currentCount = 0
            var nextCount = 0

            /// Adds `start` and what it leads to without consuming input to `list`; true when
            /// that reaches `match`.
            func add(_ start: Int32, step: Int32, atStart: Bool, atEnd: Bool, to list: UnsafeMutablePointer<Int32>, _ listCount: inout Int) -> Bool {
                var depth = 0
                stack[depth] = start
                depth += 1
                while depth > 0 {
                    depth -= 1
                    let pc = Int(stack[depth])
                    guard addedAt[pc] != step else { continue }
                    addedAt[pc] = step
                    switch Operation(rawValue: code[3 * pc]) ?? .match {
                    case .match: return true
                    case .jump:
                        stack[depth] = code[3 * pc + 1]
                        depth += 1
                    case .split:
                        stack[depth] = code[3 * pc + 2]
                        stack[depth + 1] = code[3 * pc + 1]
                        depth += 2
                    case .start:
                        if atStart {
                            stack[depth] = Int32(pc + 1)
                            depth += 1
                        }
                    case .end:
                        if atEnd {
                            stack[depth] = Int32(pc + 1)
                            depth += 1
                        }
                    case .set:
                        list[listCount] = Int32(pc)
                        listCount += 1
                    }
                }
                return false
            }

            if add(0, step: 0, atStart: true, atEnd: count == 0, to: current, &currentCount) { return true }
            for position in 0..<count {
                let value = scalar(position)
                let step = Int32(position + 1)
                let atEnd = position + 1 == count
                nextCount = 0
                for index in 0..<currentCount {
                    let pc = Int(current[index])
                    guard contains(set: Int(code[3 * pc + 1]), value) else { continue }
                    if add(Int32(pc + 1), step: step, atStart: false, atEnd: atEnd, to: next, &nextCount) { return true }
                }
                // Unanchored: a match may also begin after this scalar.
                if !anchoredAtStart, add(0, step: step, atStart: false, atEnd: atEnd, to: next, &nextCount) { return true }
                swap(&current, &next)
                currentCount = nextCount
                if currentCount == 0, anchoredAtStart { return false }
            }
            return false
        }
    }
}

/// A small pattern as a deterministic automaton over ASCII, built once by the subset
/// construction: matching ASCII text is then one table lookup per byte. Text with other scalars
/// (`matches` returns nil) goes through the Pike VM. Built only for programs of at most 256
/// instructions, and given up past 256 states, so no pattern makes compiling it expensive.
///
/// On RefundIssued's validation (`eventc-bench rules`, `codec.validate_overhead`) the Pike VM's
/// ~30 ns for `^[A-Z]{3}$` on "KRW" was the largest single cost; this is a few nanoseconds.
struct ASCIIAutomaton: Sendable {
    /// `states × 128` next states; `failed` where no thread survives (an anchored pattern
    /// failed), `matched` where a thread reaches `match` (the string matches, whatever follows).
    let transitions: [Int16]
    /// Whether the start state has already matched (the empty pattern, `a*`…).
    let matchesAtStart: Bool
    /// Per state: a thread reaches `match` if the string ends here.
    let matchesAtEnd: [Bool]

    static let failed: Int16 = -1
    static let matched: Int16 = -2

    static let maximumInstructions = 256
    static let maximumStates = 256

    init?(_ program: [PatternInstruction], anchoredAtStart: Bool) {
        guard program.count <= Self.maximumInstructions else { return nil }
        /// The `set` instructions reachable from `starts` without consuming input, and whether
        /// `match` is reached now, or at the end of the string.
        func closure(_ starts: [Int], atStart: Bool) -> (sets: [Int], now: Bool, atEnd: Bool) {
            var seen = Set<Int>(), sets = Set<Int>(), now = false, atEnd = false
            var stack = starts.map { ($0, false) }
            var seenAtEnd = Set<Int>()
            while let (pc, pastEnd) = stack.popLast() {
                if pastEnd { guard seenAtEnd.insert(pc).inserted else { continue } } else { guard seen.insert(pc).inserted else { continue } }
                switch program[pc] {
                case .match: if pastEnd { atEnd = true } else { now = true }
                case .jump(let target): stack.append((target, pastEnd))
                case .split(let a, let b): stack += [(b, pastEnd), (a, pastEnd)]
                case .start: if atStart { stack.append((pc + 1, pastEnd)) }
                // `$` holds only if the string ends here: what follows it counts at the end.
                case .end: stack.append((pc + 1, true))
                case .set: if !pastEnd { sets.insert(pc) }
                }
            }
            return (sets.sorted(), now, atEnd || now)
        }
        let start = closure([0], atStart: true)
        var states: [[Int]] = [start.sets]
        var index: [[Int]: Int] = [start.sets + [start.atEnd ? -3 : -4]: 0]
        var atEnd = [start.atEnd]
        var transitions: [Int16] = []
        var next = 0
        while next < states.count {
            let current = states[next]
            for byte in UInt32(0)..<128 {
                var moved: [Int] = []
                for pc in current {
                    if case .set(let set) = program[pc], set.contains(byte) { moved.append(pc + 1) }
                }
                if !anchoredAtStart { moved.append(0) }
                if moved.isEmpty {
                    transitions.append(Self.failed)
                    continue
                }
                let target = closure(moved, atStart: false)
                if target.now {
                    transitions.append(Self.matched)
                    continue
                }
                // A state is its thread set and whether it matches at the end (`match` is no set
                // instruction); one that matches now is `matched`, not a state.
                let key = target.sets + [target.atEnd ? -3 : -4]
                if let known = index[key] {
                    transitions.append(Int16(known))
                    continue
                }
                guard states.count < Self.maximumStates else { return nil }
                index[key] = states.count
                transitions.append(Int16(states.count))
                states.append(target.sets)
                atEnd.append(target.atEnd)
            }
            next += 1
        }
        self.transitions = transitions
        self.matchesAtStart = start.now
        self.matchesAtEnd = atEnd
    }

    /// Whether the pattern matches `bytes`; nil when they are not all ASCII.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if matchesAtStart { return true }
        return transitions.withUnsafeBufferPointer { table in
            var state = 0
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let next = table[state &* 128 &+ Int(byte)]
                if next < 0 {
                    if next == Self.matched { return true }
                    return bytes.allSatisfy { $0 < 0x80 } ? false : nil
                }
                state = Int(next)
            }
            return matchesAtEnd[state]
        }
    }
}
