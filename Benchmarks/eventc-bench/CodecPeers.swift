import EventRuntime
import GeneratedContracts

#if canImport(Glibc)
import Glibc
#endif

/// The codec's peers: simdjson On-Demand (C++) and serde_json with serde derive (Rust), built from
/// Debian's packages by `Benchmarks/peers/build` as shared libraries with a small C interface, and
/// loaded here at run time, so eventc-bench builds and runs without them (their figures are then
/// skipped, saying why). Both are called in the same process as ours, alternating, on the same bytes.
struct CodecPeers {
    typealias Decode = @convention(c) (UnsafePointer<UInt8>?, Int, Int64) -> Int64
    typealias Describe = @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, Int) -> Int64
    typealias EventNew = @convention(c) (UnsafePointer<UInt8>?, Int) -> OpaquePointer?
    typealias EventFree = @convention(c) (OpaquePointer?) -> Void
    typealias Encode = @convention(c) (OpaquePointer?, Int64) -> Int64
    typealias EncodeOnce = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int64

    /// simdjson in its two forms (see peer.cpp): walking the members, and `find_field_unordered`.
    struct Simdjson {
        var decodeWalkingMembers: Decode
        var describeWalkingMembers: Describe
        var decodeFindingFields: Decode
        var describeFindingFields: Describe
    }

    struct Serde {
        var decode: Decode
        var describe: Describe
        var eventNew: EventNew
        var eventFree: EventFree
        var encode: Encode
        var encodeReused: Encode
        var encodeOnce: EncodeOnce
    }

    var simdjson: Simdjson?
    var serde: Serde?
    /// Why a peer is missing, for the benchmark's output.
    var problems: [String] = []

    /// The folder `EVENTC_BENCH_PEERS` names, or `.build/peers` (where the build script puts them).
    static var folder: String {
        getenv("EVENTC_BENCH_PEERS").map { String(cString: $0) } ?? ".build/peers"
    }

    static func load() -> CodecPeers {
        var peers = CodecPeers()
        do {
            let library = try Library(path: folder + "/libpeer_simdjson.so")
            peers.simdjson = Simdjson(
                decodeWalkingMembers: try library.symbol("peer_simdjson_decode"),
                describeWalkingMembers: try library.symbol("peer_simdjson_describe"),
                decodeFindingFields: try library.symbol("peer_simdjson_decode_find_field"),
                describeFindingFields: try library.symbol("peer_simdjson_describe_find_field"))
        } catch {
            peers.problems.append(error.description)
        }
        do {
            let library = try Library(path: folder + "/libpeer_serde.so")
            peers.serde = Serde(
                decode: try library.symbol("peer_serde_decode"), describe: try library.symbol("peer_serde_describe"),
                eventNew: try library.symbol("peer_serde_event_new"), eventFree: try library.symbol("peer_serde_event_free"),
                encode: try library.symbol("peer_serde_encode"), encodeReused: try library.symbol("peer_serde_encode_reused"),
                encodeOnce: try library.symbol("peer_serde_encode_once"))
        } catch {
            peers.problems.append(error.description)
        }
        return peers
    }

    /// A shared library opened for the rest of the run (never closed: its functions are kept).
    struct Library {
        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        let path: String
        let handle: UnsafeMutableRawPointer

        init(path: String) throws(Failure) {
            guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
                throw Failure(description: "\(reason) (build the peers with Benchmarks/peers/build)")
            }
            self.path = path
            self.handle = handle
        }

        func symbol<Function>(_ name: String) throws(Failure) -> Function {
            guard let address = dlsym(handle, name) else { throw Failure(description: "\(path) has no \(name)") }
            return unsafeBitCast(address, to: Function.self)
        }
    }

    /// What a peer's `describe` function returns for `json`, or nil when the peer refused it.
    static func text(_ describe: Describe, _ json: [UInt8]) -> String? {
        var out = [UInt8](repeating: 0, count: 1024)
        let length = json.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { describe(input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        return length < 0 ? nil : String(decoding: out[..<Int(length)], as: UTF8.self)
    }

    /// One encoding by the serde peer of the event `json` holds.
    static func serdeEncoding(_ serde: Serde, event: OpaquePointer?) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 1024)
        let length = out.withUnsafeMutableBufferPointer { serde.encodeOnce(event, $0.baseAddress, $0.count) }
        return length < 0 ? nil : Array(out[..<Int(length)])
    }
}

extension CodecBenchmark {
    /// Ours against the peers on `json` (the event's own encoding), each side the fastest of many
    /// short samples taken in turn. Figures are peer time / our time: above 1, ours is faster.
    /// Before timing, each peer's reading of the bytes is checked against ours, field by field,
    /// and serde's encoding against ours, byte for byte; a peer that differs is not compared.
    static func comparePeers(event: PaymentCompleted, json: [UInt8]) {
        let peers = CodecPeers.load()
        for problem in peers.problems { print("codec peers: skipped: \(problem)") }
        let expected = describe(event)
        // Samples of ~0.5 ms, 300 rounds: short enough that most escape another process's time
        // slice on a shared two-core machine, so each side's fastest is its undisturbed time.
        let iterations = 2_000
        let samples = 300
        var sink = 0
        let decodeOurs = {
            for _ in 0..<iterations { sink &+= (try? PaymentCompleted.decode(json: json, version: 3))?.installments == 3 ? 1 : 0 }
        }
        var decoders: [(name: String, body: () -> Void)] = [("ours", decodeOurs)]
        if let simdjson = peers.simdjson {
            let forms = [
                ("simdjson_walking_members", simdjson.describeWalkingMembers, simdjson.decodeWalkingMembers),
                ("simdjson_find_field", simdjson.describeFindingFields, simdjson.decodeFindingFields),
            ]
            for (name, describe, decode) in forms {
                if let seen = CodecPeers.text(describe, json), seen == expected {
                    decoders.append((name, { sink &+= Int(decode(json, json.count, Int64(iterations))) }))
                } else {
                    print("codec peers: \(name) read \(CodecPeers.text(describe, json) ?? "an error"), not \(expected): not compared")
                }
            }
        }
        if let serde = peers.serde {
            if let seen = CodecPeers.text(serde.describe, json), seen == expected {
                decoders.append(("serde_json", { sink &+= Int(serde.decode(json, json.count, Int64(iterations))) }))
            } else {
                print("codec peers: serde_json read \(CodecPeers.text(serde.describe, json) ?? "an error"), not \(expected): not compared")
            }
        }
        let memcpy = memcpyBody(bytes: json.count, iterations: iterations)
        let decodeTimes = Measure.bestOfAll(samples: samples, decoders.map(\.body) + [memcpy])
        let nanos = { (time: Duration) in Measure.seconds(time) * 1e9 / Double(iterations) }
        let oursDecode = nanos(decodeTimes[0])
        Measure.figure("codec.decode_bytes_per_ns", Double(json.count) / oursDecode, "bytes/ns")
        Measure.figure("codec.memcpy_bytes_per_ns", Double(json.count) / nanos(decodeTimes[decoders.count]), "bytes/ns")
        var peerNanos: [String: Double] = [:]
        for (index, decoder) in decoders.enumerated().dropFirst() {
            peerNanos[decoder.name] = nanos(decodeTimes[index])
            Measure.figure("codec.\(decoder.name)_decode_ns_per_op", nanos(decodeTimes[index]), "ns")
        }
        // simdjson at its best: the faster of its two forms on this machine.
        let simdjsonBest = ["simdjson_walking_members", "simdjson_find_field"].compactMap { peerNanos[$0] }.min()
        if let simdjsonBest {
            Measure.figure("codec.simdjson_decode_ns_per_op", simdjsonBest, "ns")
            Measure.figure("codec.decode_vs_simdjson", simdjsonBest / oursDecode, "x")
        }
        if let serdeNanos = peerNanos["serde_json"] {
            Measure.figure("codec.decode_vs_serde_json", serdeNanos / oursDecode, "x")
        }

        guard let serde = peers.serde else { return }
        guard let serdeEvent = json.withUnsafeBufferPointer({ serde.eventNew($0.baseAddress, $0.count) }) else {
            print("codec peers: serde_json could not read the event: encode not compared")
            return
        }
        defer { serde.eventFree(serdeEvent) }
        guard let theirs = CodecPeers.serdeEncoding(serde, event: serdeEvent), theirs == json else {
            print("codec peers: serde_json's encoding differs from ours: encode not compared")
            return
        }
        var writer = JSONWriter()
        let encodeTimes = Measure.bestOfAll(samples: samples, [
            { for _ in 0..<iterations { sink &+= (try? event.jsonBytes())?.count ?? 0 } },
            { sink &+= Int(serde.encode(serdeEvent, Int64(iterations))) },
            {
                for _ in 0..<iterations {
                    try? event.encode(reusing: &writer)
                    sink &+= writer.byteCount
                }
            },
            { sink &+= Int(serde.encodeReused(serdeEvent, Int64(iterations))) },
        ])
        Measure.figure("codec.encode_reused_buffer_ns_per_op", nanos(encodeTimes[2]), "ns")
        Measure.figure("codec.serde_json_encode_ns_per_op", nanos(encodeTimes[1]), "ns")
        Measure.figure("codec.serde_json_encode_reused_buffer_ns_per_op", nanos(encodeTimes[3]), "ns")
        Measure.figure("codec.encode_vs_serde_json", nanos(encodeTimes[1]) / nanos(encodeTimes[0]), "x")
        Measure.figure("codec.encode_vs_serde_json_reused_buffer", nanos(encodeTimes[3]) / nanos(encodeTimes[2]), "x")
        if sink == 42 { print("") }  // keeps the loops from being optimised away
    }

    /// `orderId|paymentId hex|amount|currency|nanoseconds|method|note|installments`, as the peers
    /// describe what they read.
    static func describe(_ event: PaymentCompleted) -> String {
        let hex = withUnsafeBytes(of: event.paymentId.uuid) { bytes in
            bytes.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }.joined()
        }
        let nanoseconds = event.capturedAt.secondsSince1970 * 1_000_000_000 + Int64(event.capturedAt.nanoseconds)
        return [event.orderId, hex, event.total.amount.text, event.total.currency, String(nanoseconds),
                event.method.rawValue, event.note ?? "-", String(event.installments)].joined(separator: "|")
    }

    /// Copies `bytes` bytes `iterations` times with memcpy: the scale for bytes per ns.
    static func memcpyBody(bytes: Int, iterations: Int) -> () -> Void {
        let source = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        let target = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        source.initializeMemory(as: UInt8.self, repeating: 7, count: bytes)
        return {
            for _ in 0..<iterations {
                memcpy(target, source, bytes)
                withExtendedLifetime(target) {}
            }
        }
    }
}
