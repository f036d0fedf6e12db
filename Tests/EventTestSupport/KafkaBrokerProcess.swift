#if Kafka
import EventTransport
import Foundation
import Glibc
import KafkaTransport
import Logging
import Synchronization
import ToolTestSupport

/// A Kafka-protocol broker that is not librdkafka's own code: `noida-db` (PyPI, the version
/// `.ci/install` pins), a single-node Kafka 3.8 KRaft broker written in Rust, started in the
/// foreground on a free loopback port with a data folder of its own, and killed when the last
/// reference goes.
///
/// One broker per test, as `MockKafka` gives one cluster per test: a real broker keeps its topics,
/// records and committed offsets, so a broker shared between tests would hand one test another's
/// records. Starting one takes about 0.2 s.
public final class KafkaBrokerProcess: Sendable {
    /// `127.0.0.1:PORT`.
    public let bootstrapServers: String
    /// A transport on this broker, with the test settings `MockKafka` uses.
    public let transport: KafkaTransport
    /// For processors in the tests too.
    public let logger: Logger
    private let process: Mutex<Process>
    private let dataFolder: URL

    /// Where `noida-db` is: `.venv/bin/noida-db`, or the program `EVENTC_NOIDA_DB` names.
    public static var executable: String? {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["EVENTC_NOIDA_DB"],
            repositoryRoot.appendingPathComponent(".venv/bin/noida-db").path,
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a broker and waits until it accepts connections; creates `topics` (name → partitions),
    /// keeping every record: tests write records stamped in 1970, which a week's retention (the
    /// default, applied to record timestamps as Kafka does) would delete at once.
    public init(topics: [String: Int] = [:]) async throws {
        guard let executable = Self.executable else { throw BrokerUnavailable.notInstalled }
        let logger = kafkaTestLogger()
        self.logger = logger
        let port = try LoopbackPort.free()
        dataFolder = FileManager.default.temporaryDirectory.appendingPathComponent("noida-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "start", "--data-dir", dataFolder.path, "--only", "kafka", "--host", "127.0.0.1", "--kafka-port", String(port),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = Mutex(process)
        bootstrapServers = "127.0.0.1:\(port)"
        let configuration = KafkaConfiguration(bootstrapServers: bootstrapServers, clientId: "kafka-tests", properties: kafkaTestProperties())
        transport = KafkaTransport(configuration, logger: logger, transactionTimeout: .seconds(30))
        try await waitUntilAccepting(port: port)
        for (topic, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            try await transport.createTopic(topic, config: TopicConfig(partitions: partitions, retentionMilliseconds: nil))
        }
    }

    deinit {
        process.withLock { process in
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: dataFolder)
    }

    /// Polls the port every 50 ms for up to 20 s; throws, with the broker's log, if it never opens.
    private func waitUntilAccepting(port: UInt16) async throws {
        for _ in 0..<400 {
            if LoopbackPort.accepts(port) { return }
            if !process.withLock({ $0.isRunning }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOf: dataFolder.appendingPathComponent("noida.log"), encoding: .utf8)) ?? "(no log)"
        throw BrokerUnavailable.didNotStart(port: port, log: String(log.suffix(2_000)))
    }

    /// Why a broker could not be had.
    public enum BrokerUnavailable: Error, CustomStringConvertible {
        /// No `noida-db` program was found.
        case notInstalled
        /// The broker did not open its port; its log's end says why.
        case didNotStart(port: UInt16, log: String)

        /// What went wrong and what to do.
        public var description: String {
            switch self {
            case .notInstalled: "noida-db is not installed: bash .ci/install puts it in .venv (or set EVENTC_NOIDA_DB to its program)"
            case .didNotStart(let port, let log): "noida-db did not open 127.0.0.1:\(port) within 20 s; its log ends:\n\(log)"
            }
        }
    }
}

/// Loopback TCP ports, for servers a test starts.
enum LoopbackPort {
    /// A port nothing listens on now: the kernel's pick for a socket bound to port 0.
    static func free() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
    static func accepts(_ port: UInt16) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
#endif

#if Kafka
/// A Kafka a test runs on, whichever broker is underneath.
public protocol KafkaUnderTest: Sendable {
    /// A transport on the cluster, with the test settings.
    var transport: KafkaTransport { get }
    /// Where other clients (kcat, `eventc-ops`, a second process) connect.
    var bootstrapServers: String { get }
    /// For processors in the tests too.
    var logger: Logger { get }
}

extension MockKafka: KafkaUnderTest {
    public var bootstrapServers: String { cluster.bootstrapServers }
}

extension KafkaBrokerProcess: KafkaUnderTest {}

/// The two Kafkas the Kafka tests run on: librdkafka's mock cluster (three brokers in this process,
/// with fault injection) and `noida-db`, a Kafka-protocol broker that shares no code with librdkafka.
public enum KafkaBrokerKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// librdkafka's mock cluster, three brokers in this process (`MockKafka`).
    case mockCluster
    /// A noida-db broker in a process of its own (`KafkaBrokerProcess`).
    case brokerProcess

    /// The broker's name, for test case names.
    public var description: String {
        switch self {
        case .mockCluster: "librdkafka's mock cluster"
        case .brokerProcess: "noida-db broker"
        }
    }

    /// A fresh cluster with `topics` (name → partitions).
    public func make(topics: [String: Int]) async throws -> any KafkaUnderTest {
        switch self {
        case .mockCluster: try MockKafka(topics: topics)
        case .brokerProcess: try await KafkaBrokerProcess(topics: topics)
        }
    }
}
#endif
