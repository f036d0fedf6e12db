import EventRuntime
import Foundation
import GeneratedContracts

/// The generated codec against Foundation's JSONEncoder/JSONDecoder (ISO-8601 dates) on the same
/// event, PaymentCompleted, in the same run: ns per operation each, and the speedup; then against
/// the real peers, simdjson and serde_json (`CodecPeers.swift`).
enum CodecBenchmark {
    /// The same event as a Codable struct, as a team would write it without the generator.
    struct PaymentCompletedCodable: Codable, Equatable {
        struct Money: Codable, Equatable {
            var amount: String
            var currency: String
        }

        var orderId: String
        var paymentId: UUID
        var total: Money
        var capturedAt: Date
        var method: String
        var note: String?
        var installments: Int32
    }

    static func run() {
        let event = PaymentCompleted(
            orderId: "order-000123", paymentId: UUID(), total: .init(amount: "19900.00", currency: "KRW"),
            capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 123_000_000), method: .card,
            note: "gift wrap", installments: 3)
        let codable = PaymentCompletedCodable(
            orderId: event.orderId, paymentId: event.paymentId, total: .init(amount: "19900.00", currency: "KRW"),
            capturedAt: Date(timeIntervalSince1970: 1_700_000_000), method: "card", note: "gift wrap", installments: 3)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let ours = try? event.jsonBytes(), let theirs = try? encoder.encode(codable),
            (try? PaymentCompleted.decode(json: ours, version: 3)) == event,
            (try? decoder.decode(PaymentCompletedCodable.self, from: theirs)) == codable
        else {
            FileOutput.standardError("codec benchmark: round trips failed\n")
            return
        }
        if let loop = getenv("EVENTC_BENCH_PROFILE").map({ String(cString: $0) }) {
            profile(loop, event: event, json: ours)
            return
        }
        // Many short samples (a few ms each), the fastest kept: on a shared two-core machine a long
        // sample almost always contains someone else's time slice, and the ratio swung by ±30%.
        // Alternating the two keeps a spell of load from favouring either.
        let fast = 10_000
        let slow = 1_000
        let samples = 60
        var sink = 0
        let (encodeOurs, encodeFoundation) = Measure.bestOfEach(samples: samples,
            { for _ in 0..<fast { sink &+= (try? event.jsonBytes())?.count ?? 0 } },
            { for _ in 0..<slow { sink &+= (try? encoder.encode(codable))?.count ?? 0 } })
        let (decodeOurs, decodeFoundation) = Measure.bestOfEach(samples: samples,
            { for _ in 0..<fast { sink &+= (try? PaymentCompleted.decode(json: ours, version: 3))?.installments == 3 ? 1 : 0 } },
            { for _ in 0..<slow { sink &+= (try? decoder.decode(PaymentCompletedCodable.self, from: theirs))?.installments == 3 ? 1 : 0 } })
        let nanos = { (time: Duration, count: Int) in Measure.seconds(time) * 1e9 / Double(count) }
        let (encodeNs, encodeBaseNs) = (nanos(encodeOurs, fast), nanos(encodeFoundation, slow))
        let (decodeNs, decodeBaseNs) = (nanos(decodeOurs, fast), nanos(decodeFoundation, slow))
        Measure.figure("codec.encode_ns_per_op", encodeNs, "ns")
        Measure.figure("codec.foundation_encode_ns_per_op", encodeBaseNs, "ns")
        Measure.figure("codec.encode_speedup_vs_foundation", encodeBaseNs / encodeNs, "x")
        Measure.figure("codec.decode_ns_per_op", decodeNs, "ns")
        Measure.figure("codec.foundation_decode_ns_per_op", decodeBaseNs, "ns")
        Measure.figure("codec.decode_speedup_vs_foundation", decodeBaseNs / decodeNs, "x")
        Measure.figure("codec.event_bytes", Double(ours.count), "bytes")
        if sink == 42 { print("") }  // keeps the loops from being optimised away
        comparePeers(event: event, json: ours)
        AvroPeers.run(event: event)
    }

    /// Only `loop` ("decode", "decode-unknown" (the event with a member this code does not know,
    /// which is skipped), "encode", "encode-reused", "avro-decode" or "avro-encode"), 100,000
    /// times, for a profiler:
    /// `EVENTC_BENCH_PROFILE=decode valgrind --tool=callgrind eventc-bench codec` counts the
    /// instructions of each function, the same whatever else the machine is doing.
    static func profile(_ loop: String, event: PaymentCompleted, json: [UInt8]) {
        let rounds = 100_000
        var sink = 0
        var writer = JSONWriter()
        var avroWriter = AvroWriter()
        let avro = (try? event.avroBytes()) ?? []
        let plan = try? PaymentCompleted.schemas?.plan(forVersion: PaymentCompleted.currentVersion)
        // One loop per case, so the profile holds the codec and not a comparison of `loop` per event.
        switch loop {
        case "avro-decode":
            guard let plan else { return }
            avro.withUnsafeBytes { raw in
                for _ in 0..<rounds { sink &+= (try? PaymentCompleted.decode(avro: raw, plan: plan))?.installments == 3 ? 1 : 0 }
            }
        case "avro-encode":
            for _ in 0..<rounds {
                try? event.encode(reusing: &avroWriter)
                sink &+= avroWriter.byteCount
            }
        case "decode":
            for _ in 0..<rounds { sink &+= (try? PaymentCompleted.decode(json: json, version: 3))?.installments == 3 ? 1 : 0 }
        case "decode-unknown":
            let unknown = Array(json.dropLast()) + Array(#","comment":"a member a newer writer added, skipped here"}"#.utf8)
            for _ in 0..<rounds { sink &+= (try? PaymentCompleted.decode(json: unknown, version: 3))?.installments == 3 ? 1 : 0 }
        case "encode":
            for _ in 0..<rounds { sink &+= (try? event.jsonBytes())?.count ?? 0 }
        default:
            for _ in 0..<rounds {
                try? event.encode(reusing: &writer)
                sink &+= writer.byteCount
            }
        }
        print("codec profile: \(loop) ×100,000 (\(sink))")
    }
}
