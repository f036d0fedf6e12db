#if canImport(Glibc)
import Glibc
#endif

enum Measure {
    /// The fastest of `repetitions` runs: the least disturbed by other load on a shared machine.
    static func best(repetitions: Int = 5, _ body: () -> Void) -> Duration {
        let clock = ContinuousClock()
        var fastest = Duration.seconds(1_000_000)
        for _ in 0..<repetitions {
            fastest = min(fastest, clock.measure(body))
        }
        return fastest
    }

    /// The fastest run of each, sampled alternately, so a figure and its baseline see the same
    /// spells of load from other processes.
    static func bestOfEach(samples: Int, _ ours: () -> Void, _ baseline: () -> Void) -> (ours: Duration, baseline: Duration) {
        withoutActuallyEscaping(ours) { ours in
            withoutActuallyEscaping(baseline) { baseline in
                let fastest = bestOfAll(samples: samples, [ours, baseline])
                return (fastest[0], fastest[1])
            }
        }
    }

    /// The fastest run of each body, sampled in turn, `samples` times round.
    static func bestOfAll(samples: Int, _ bodies: [() -> Void]) -> [Duration] {
        let clock = ContinuousClock()
        var fastest = Array(repeating: Duration.seconds(1_000_000), count: bodies.count)
        for _ in 0..<samples {
            for (index, body) in bodies.enumerated() {
                fastest[index] = min(fastest[index], clock.measure(body))
            }
        }
        return fastest
    }

    /// CPU time this process has used, all threads, user and system, in seconds: with wall time
    /// it says how many cores a parallel run kept busy, and the cost per item apart from waiting.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func figure(_ name: String, _ value: Double, _ unit: String) {
        let rounded = value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
        print("\(name): \(rounded) \(unit)")
    }
}

enum FileOutput {
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
