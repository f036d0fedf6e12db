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
