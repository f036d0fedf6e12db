import EventRuntime
import Foundation
import GeneratedContracts

/// What the data rules cost: decoding RefundIssued (a decimal amount with `exclusiveMin`, a
/// currency `pattern`, `minItems` and `uniqueItems` SKUs, a `maxLength` note, a timestamp `min`)
/// with and without its generated `validate()`; the rules PaymentCompleted's Money would carry
/// against decoding PaymentCompleted; and one `pattern` match against Swift's `Regex` doing the
/// same, in the same run.
///
/// RefundIssued rather than PaymentCompleted: rules added to PaymentCompleted's published fields
/// would refuse events already written (a tightening `eventc check` reports), and RefundIssued has
/// the same Money shape with more rules.
enum RulesBenchmark {
    static func run() {
        let event = RefundIssued(
            orderId: "order-000123", refundId: UUID(), amount: .init(amount: "19900.00", currency: "KRW"),
            skus: ["SKU-1", "SKU-2", "SKU-3"], reason: .damaged, note: "The box arrived crushed.",
            refundedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 0))
        guard let json = try? event.jsonBytes(), (try? RefundIssued.decode(json: json, version: 1)) == event,
            (try? event.validate()) != nil
        else {
            FileOutput.standardError("rules benchmark: the round trip or the validation failed\n")
            return
        }
        var sink = 0
        if getenv("EVENTC_BENCH_PROFILE").map({ String(cString: $0) }) == "validate" {
            // For a profiler: validation alone, for long enough to sample.
            for _ in 0..<20_000_000 { sink &+= (try? event.validate()) != nil ? 1 : 0 }
            for _ in 0..<20_000_000 { sink &+= (try? event.amount.validate()) != nil ? 1 : 0 }
            print("rules profile: validate ×20,000,000, then its Money ×20,000,000 (\(sink))")
            return
        }
        let count = 10_000
        // PaymentCompleted's Money with the rules a Money of this estate carries (RefundIssued's:
        // `exclusiveMin: 0` on the amount, `^[A-Z]{3}$` on the currency), against decoding
        // PaymentCompleted: what its rules would cost it.
        let payment = PaymentCompleted(
            orderId: "order-000123", paymentId: UUID(), total: .init(amount: "19900.00", currency: "KRW"),
            capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 123_000_000), method: .card, note: "gift wrap", installments: 3)
        guard let paymentJSON = try? payment.jsonBytes() else { return }
        let money = RefundIssued.Money(amount: payment.total.amount, currency: payment.total.currency)
        let times = Measure.bestOfAll(samples: 150, [
            { for _ in 0..<count { sink &+= (try? RefundIssued.decode(json: json, version: 1))?.skus.count ?? 0 } },
            {
                for _ in 0..<count {
                    guard let decoded = try? RefundIssued.decode(json: json, version: 1), (try? decoded.validate()) != nil else { continue }
                    sink &+= decoded.skus.count
                }
            },
            { for _ in 0..<count { sink &+= (try? PaymentCompleted.decode(json: paymentJSON, version: 3))?.installments == 3 ? 1 : 0 } },
            { for _ in 0..<count { sink &+= (try? money.validate()) != nil ? 1 : 0 } },
        ])
        let nanos = { (time: Duration, count: Int) in Measure.seconds(time) * 1e9 / Double(count) }
        let (decodeNs, validatedNs) = (nanos(times[0], count), nanos(times[1], count))
        let (paymentDecodeNs, moneyValidateNs) = (nanos(times[2], count), nanos(times[3], count))
        Measure.figure("codec.validate_decode_ns_per_op", decodeNs, "ns")
        Measure.figure("codec.validate_decode_and_validate_ns_per_op", validatedNs, "ns")
        Measure.figure("codec.validate_overhead", (validatedNs / decodeNs - 1) * 100, "%")
        Measure.figure("codec.validate_money_ns_per_op", moneyValidateNs, "ns")
        Measure.figure("codec.validate_overhead_payment_completed", moneyValidateNs / paymentDecodeNs * 100, "%")

        guard let pattern = try? EventPattern("^[A-Z]{3}$"), let regex = try? Regex("^[A-Z]{3}$") else { return }
        let texts = ["KRW", "EUR", "usd", "KRWX"]
        let matches = 100_000
        // Without the extended lifetime, Swift 6.3's optimiser released `pattern` before the
        // closures below ran (a crash reading its freed program, in release builds only).
        let (ours, swiftRegex) = withExtendedLifetime((pattern, regex)) {
            Measure.bestOfEach(samples: 20,
                { for index in 0..<matches { sink &+= pattern.matches(texts[index & 3]) ? 1 : 0 } },
                { for index in 0..<matches { sink &+= texts[index & 3].firstMatch(of: regex) != nil ? 1 : 0 } })
        }
        Measure.figure("rules.pattern_match_ns_per_op", nanos(ours, matches), "ns")
        Measure.figure("rules.swift_regex_match_ns_per_op", nanos(swiftRegex, matches), "ns")
        Measure.figure("rules.pattern_speedup_vs_swift_regex", nanos(swiftRegex, matches) / nanos(ours, matches), "x")
        if sink == 42 { print("") }  // keeps the loops from being optimised away
    }
}
