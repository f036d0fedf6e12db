import EventRuntime
import Foundation
import GeneratedContracts

#if canImport(Glibc)
import Glibc
#endif

/// The Avro codec against its peers, on the benchmark's PaymentCompleted in version 3's schema:
/// Avro C 1.11 (its value API, loaded as a shared library and timed in this process, alternating
/// with ours), Apache Avro Java 1.8 (a SpecificRecord compiled by Avro's own compiler; its own JVM,
/// JIT warmed up, the fastest of many samples) and fastavro (schemaless reader and writer, a
/// record a call). `Benchmarks/peers/build` builds them from Debian's packages and PyPI's fastavro;
/// a peer that is missing is skipped, saying why. Before timing, each peer's reading of our bytes
/// is checked against ours field by field, and its encoding against ours byte for byte.
enum AvroPeers {
    typealias New = @convention(c) (UnsafePointer<CChar>?, Int) -> OpaquePointer?
    typealias Decode = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, Int64) -> Int64
    typealias Encode = @convention(c) (OpaquePointer?, Int64) -> Int64
    typealias EncodeOnce = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int64
    typealias Describe = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, Int) -> Int64

    /// What a peer in its own process measured.
    struct Process {
        var describe: String
        var encoded: [UInt8]
        var decodeNs: Double
        var encodeNs: Double
    }

    static func run(event: PaymentCompleted) {
        guard let schemas = PaymentCompleted.schemas, let avro = try? event.avroBytes(),
            let plan = try? schemas.plan(forVersion: PaymentCompleted.currentVersion),
            let schemaText = schemas.texts.last
        else {
            FileOutput.standardError("avro benchmark: the event does not encode\n")
            return
        }
        let expected = CodecBenchmark.describe(event).replacingOccurrences(of: "|19900.00|", with: "|19900|")
        let iterations = 2_000
        let samples = 300
        var sink = 0
        let nanos = { (time: Duration) in Measure.seconds(time) * 1e9 / Double(iterations) }
        var writer = AvroWriter()
        let decodeOurs = {
            avro.withUnsafeBytes { raw in
                for _ in 0..<iterations { sink &+= (try? PaymentCompleted.decode(avro: raw, plan: plan))?.installments == 3 ? 1 : 0 }
            }
        }
        let encodeOurs = {
            for _ in 0..<iterations {
                try? event.encode(reusing: &writer)
                sink &+= writer.byteCount
            }
        }
        // Data an older version wrote (v2: no installments, a method v2 knows), read as the newest.
        var older = event
        older.method = .card
        let olderJSON = (try? JSONValue.parse(older.jsonBytes())) ?? .null
        var olderWriter = AvroWriter()
        let olderBytes: [UInt8]? = schemas.versions.count >= 2
            ? (try? SchemaDrivenCoding.write(olderJSON, as: schemas.versions[1].schema, to: &olderWriter)).map { olderWriter.bytes } : nil
        let olderPlan = try? schemas.plan(forVersion: 2)

        var decoders: [(name: String, body: () -> Void)] = [("ours", decodeOurs)]
        var encoders: [(name: String, body: () -> Void)] = [("ours", encodeOurs)]
        if let olderBytes, let olderPlan, (try? olderBytes.withUnsafeBytes { try PaymentCompleted.decode(avro: $0, plan: olderPlan) }) != nil {
            decoders.append(("older_version", {
                olderBytes.withUnsafeBytes { raw in
                    for _ in 0..<iterations { sink &+= (try? PaymentCompleted.decode(avro: raw, plan: olderPlan))?.installments == 1 ? 1 : 0 }
                }
            }))
        }
        do {
            let library = try CodecPeers.Library(path: CodecPeers.folder + "/libpeer_avroc.so")
            let new: New = try library.symbol("peer_avroc_new")
            let decode: Decode = try library.symbol("peer_avroc_decode")
            let encode: Encode = try library.symbol("peer_avroc_encode")
            let encodeOnce: EncodeOnce = try library.symbol("peer_avroc_encode_once")
            let describe: Describe = try library.symbol("peer_avroc_describe")
            if let peer = schemaText.withCString({ new($0, strlen($0)) }) {
                var out = [UInt8](repeating: 0, count: 1024)
                let read = avro.withUnsafeBufferPointer { input in
                    out.withUnsafeMutableBufferPointer { describe(peer, input.baseAddress, input.count, $0.baseAddress, $0.count) }
                }
                let seen = read < 0 ? "an error" : String(decoding: out[..<Int(read)], as: UTF8.self)
                if seen == expected {
                    decoders.append(("avro_c", { sink &+= Int(avro.withUnsafeBufferPointer { decode(peer, $0.baseAddress, $0.count, Int64(iterations)) }) }))
                    let length = out.withUnsafeMutableBufferPointer { encodeOnce(peer, $0.baseAddress, $0.count) }
                    if length >= 0, Array(out[..<Int(length)]) == avro {
                        encoders.append(("avro_c", { sink &+= Int(encode(peer, Int64(iterations))) }))
                    } else {
                        print("codec peers: Avro C's encoding differs from ours: encode not compared")
                    }
                } else {
                    print("codec peers: Avro C read \(seen), not \(expected): not compared")
                }
            } else {
                print("codec peers: Avro C refused the schema: not compared")
            }
        } catch {
            print("codec peers: skipped: \(error.description)")
        }
        let decodeTimes = Measure.bestOfAll(samples: samples, decoders.map(\.body))
        let encodeTimes = Measure.bestOfAll(samples: samples, encoders.map(\.body))
        let oursDecode = nanos(decodeTimes[0])
        let oursEncode = nanos(encodeTimes[0])
        Measure.figure("codec.avro_bytes", Double(avro.count), "bytes")
        Measure.figure("codec.avro_decode_ns_per_op", oursDecode, "ns")
        Measure.figure("codec.avro_encode_reused_buffer_ns_per_op", oursEncode, "ns")
        for (index, decoder) in decoders.enumerated().dropFirst() {
            if decoder.name == "older_version" {
                Measure.figure("codec.avro_decode_older_version_ns_per_op", nanos(decodeTimes[index]), "ns")
                Measure.figure("codec.avro_decode_older_version_vs_current", nanos(decodeTimes[index]) / oursDecode, "x")
                continue
            }
            Measure.figure("codec.\(decoder.name)_decode_ns_per_op", nanos(decodeTimes[index]), "ns")
            Measure.figure("codec.avro_decode_vs_\(decoder.name)", nanos(decodeTimes[index]) / oursDecode, "x")
        }
        for (index, encoder) in encoders.enumerated().dropFirst() {
            Measure.figure("codec.\(encoder.name)_encode_ns_per_op", nanos(encodeTimes[index]), "ns")
            Measure.figure("codec.avro_encode_vs_\(encoder.name)", nanos(encodeTimes[index]) / oursEncode, "x")
        }
        for (name, measured) in [("java", java(avro)), ("fastavro", fastavro(avro, schema: schemaText))] {
            switch measured {
            case .failure(let problem):
                print("codec peers: skipped \(name): \(problem.description)")
            case .success(let process):
                guard process.describe == expected else {
                    print("codec peers: \(name) read \(process.describe), not \(expected): not compared")
                    continue
                }
                Measure.figure("codec.\(name)_decode_ns_per_op", process.decodeNs, "ns")
                Measure.figure("codec.avro_decode_vs_\(name)", process.decodeNs / oursDecode, "x")
                guard process.encoded == avro else {
                    print("codec peers: \(name)'s encoding differs from ours: encode not compared")
                    continue
                }
                Measure.figure("codec.\(name)_encode_ns_per_op", process.encodeNs, "ns")
                Measure.figure("codec.avro_encode_vs_\(name)", process.encodeNs / oursEncode, "x")
            }
        }
        if sink == 42 { print("") }  // keeps the loops from being optimised away
    }

    /// The Java peer in its own JVM (`Benchmarks/peers/java`, built into the peers folder).
    static func java(_ avro: [UInt8]) -> Result<Process, CodecPeers.Library.Failure> {
        let folder = CodecPeers.folder + "/java"
        guard let classpath = try? String(contentsOfFile: folder + "/classpath", encoding: .utf8) else {
            return .failure(.init(description: "\(folder)/classpath is missing (build the peers with Benchmarks/peers/build)"))
        }
        return runPeer(["java", "-cp", "\(folder)/classes:" + classpath.trimmingCharacters(in: .whitespacesAndNewlines), "Peer"], avro, extra: [])
    }

    /// fastavro in the project's Python (`.venv`, which `.ci/run` fills).
    static func fastavro(_ avro: [UInt8], schema: String) -> Result<Process, CodecPeers.Library.Failure> {
        let python = ".venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(.init(description: "\(python) is missing (.ci/run makes it)"))
        }
        let schemaFile = NSTemporaryDirectory() + "eventc-bench-schema.avsc"
        guard (try? schema.write(toFile: schemaFile, atomically: true, encoding: .utf8)) != nil else {
            return .failure(.init(description: "cannot write \(schemaFile)"))
        }
        return runPeer([python, "Benchmarks/peers/fastavro/peer.py"], avro, extra: [schemaFile])
    }

    /// Runs a peer program on `avro` (written to a file), parsing its `describe`, `encoded`,
    /// `decode_ns` and `encode_ns` lines.
    static func runPeer(_ command: [String], _ avro: [UInt8], extra: [String]) -> Result<Process, CodecPeers.Library.Failure> {
        let input = NSTemporaryDirectory() + "eventc-bench-event.avro"
        guard (try? Data(avro).write(to: URL(fileURLWithPath: input))) != nil else { return .failure(.init(description: "cannot write \(input)")) }
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command + [input] + extra + ["20000", "60"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            return .failure(.init(description: "\(command[0]) did not start: \(error)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var lines: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { lines[String(parts[0])] = String(parts[1]) }
        }
        guard process.terminationStatus == 0, let describe = lines["describe"], let encoded = lines["encoded"],
            let decodeNs = lines["decode_ns"].flatMap(Double.init), let encodeNs = lines["encode_ns"].flatMap(Double.init)
        else {
            return .failure(.init(description: "\(command.joined(separator: " ")) exited with \(process.terminationStatus) and printed \(lines)"))
        }
        let bytes = stride(from: 0, to: encoded.utf8.count - 1, by: 2).compactMap { offset -> UInt8? in
            let start = encoded.utf8.index(encoded.utf8.startIndex, offsetBy: offset)
            return UInt8(String(encoded[start..<encoded.utf8.index(start, offsetBy: 2)]), radix: 16)
        }
        return .success(Process(describe: describe, encoded: bytes, decodeNs: decodeNs, encodeNs: encodeNs))
    }
}
