// The shop example: four services on the generated contracts, on the in-process broker or Kafka.
//   swift run shop-demo [--chaos] [--orders N] [--seed S] [--kafka-mock | --kafka HOST:PORT] [--store sqlite|postgres]
//                       [--postgres-restart-command CMD]
// Orders are created; payments are taken (and PaymentCompleted published through the outbox);
// deliveries start (through the inbox); likes are counted in batches. With --chaos: handler
// failures, consumers that crash before committing, a poison message, a producer bug a data rule
// catches (refused at the publisher; dead-lettered when an unchecked producer sends it), and a
// broker outage for the outbox relay. With --store postgres (the server at EVENTC_POSTGRES_URL) the services keep their
// data in PostgreSQL and three relays share the outbox; --postgres-restart-command adds a restart
// (or a crash) of the server mid-stream to the chaos. The demo then checks the final state exactly and exits 1 if it is wrong.
import ArgumentParser
import EventRuntime
import EventRuntimePostgres
import EventRuntimeSQLite
import Foundation
import GeneratedContracts
#if Kafka
import KafkaTransport
#endif
import Logging
import Synchronization

@main
struct ShopDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop-demo", abstract: "Run the shop's services on the in-process broker or Kafka and verify the outcome.")

    @Flag(help: "Inject handler failures, consumer crashes before commit, a poison message and a broker outage.")
    var chaos = false

    @Option(help: "How many orders to create.")
    var orders = 1_000

    @Option(help: "How many users like products.")
    var users = 200

    @Option(help: "Seed for the chaos and the data (printed, to repeat a run).")
    var seed: UInt64?

    @Flag(help: "Run on librdkafka's mock Kafka cluster (3 brokers, in this process) instead of the in-process broker.")
    var kafkaMock = false

    @Option(help: ArgumentHelp(
        "Run on a real Kafka cluster at these bootstrap servers; security settings come from KAFKA_* variables (see the Kafka article).",
        valueName: "host:port"))
    var kafka: String?

    enum Store: String, ExpressibleByArgument, CaseIterable {
        case sqlite, postgres
    }

    @Option(help: "Where the services keep their data: sqlite (a file per service), or postgres (the server at EVENTC_POSTGRES_URL, e.g. postgres://user@localhost/db).")
    var store: Store = .sqlite

    @Option(help: ArgumentHelp(
        "With --chaos and --store postgres: a shell command that restarts the PostgreSQL server, run once mid-stream (e.g. '.ci/postgres restart immediate', a crash).",
        valueName: "command"))
    var postgresRestartCommand: String?

    @Option(help: "How much the runtime logs, to standard error: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "error"

    mutating func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
        if postgresRestartCommand != nil, !chaos || store != .postgres {
            throw ValidationError("--postgres-restart-command is a chaos fault of the PostgreSQL store: give it with --chaos --store postgres")
        }
        if store == .postgres, ProcessInfo.processInfo.environment["EVENTC_POSTGRES_URL"] == nil {
            throw ValidationError("--store postgres needs EVENTC_POSTGRES_URL, e.g. postgres://user:password@localhost:5432/shop")
        }
        if kafkaMock, kafka != nil { throw ValidationError("choose one of --kafka-mock and --kafka") }
        #if !Kafka
        if kafkaMock || kafka != nil {
            throw ValidationError("this shop-demo is built without Kafka: run it with swift run --traits Kafka shop-demo (needs librdkafka-dev)")
        }
        #endif
    }

    private func makeBackend(logger: Logger) async throws -> Backend {
        #if Kafka
        if kafkaMock {
            let cluster = try KafkaMockCluster(brokers: 3, logger: logger)
            return .kafka(KafkaTransport(mock: cluster, clientId: "shop-demo", logger: logger), mock: cluster)
        }
        if let kafka {
            var environment = ProcessInfo.processInfo.environment
            environment[KafkaConfiguration.Environment.bootstrapServers] = kafka
            var configuration = try KafkaConfiguration(environment: environment)
            configuration.clientId = "shop-demo"
            return .kafka(KafkaTransport(configuration, logger: logger), mock: nil)
        }
        #endif
        return .inProcess(try InProcessBroker(.init(logger: logger)))
    }

    /// Runs `command` with `/bin/sh -c`; fails when it exits with another status than 0.
    ///
    /// Not Foundation's `Process`: on Linux it learns that its child ended from a socket the child
    /// inherits, and a server the command starts in the background (`pg_ctl restart`) inherits it
    /// too and keeps it open, so the command never ends for `Process`. `waitpid` sees the child.
    private static func restart(with command: String) -> @Sendable () async throws -> Void {
        {
            var pid: pid_t = 0
            let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (text: String) in strdup(text) } + [nil]
            defer { for argument in arguments { free(argument) } }
            let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ)
            guard spawned == 0 else { throw ShopError("cannot run the restart command '\(command)': posix_spawn failed with \(spawned)") }
            let child = pid
            let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
                // Waited for on a thread of Dispatch's, not the cooperative pool: a restart takes seconds.
                DispatchQueue.global().async {
                    var status: Int32 = 0
                    while waitpid(child, &status, 0) == -1, errno == EINTR {}
                    continuation.resume(returning: status)
                }
            }
            guard status == 0 else { throw ShopError("the restart command '\(command)' failed (wait status \(status))") }
        }
    }

    mutating func run() async throws {
        let seed = seed ?? UInt64.random(in: 1...UInt64.max)
        var logger = Logger(label: "shop-demo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let backend = try await makeBackend(logger: logger)
        print("shop-demo: \(orders) orders, \(users) users, chaos \(chaos ? "on" : "off"), seed \(seed), on \(backend.name), data in \(store.rawValue)")
        guard store == .postgres, let url = ProcessInfo.processInfo.environment["EVENTC_POSTGRES_URL"] else {
            if postgresRestartCommand != nil { throw ValidationError("--postgres-restart-command needs --store postgres and EVENTC_POSTGRES_URL") }
            return try await runShop(on: backend, stores: try await SQLiteShopStores(), seed: seed, databaseRestart: nil, logger: logger)
        }
        let client = PostgresClient(configuration: try .fromURL(url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await runShop(
                on: backend, stores: try await PostgresShopStores(client: client, logger: logger), seed: seed,
                databaseRestart: postgresRestartCommand.map(Self.restart(with:)), logger: logger)
        }
    }

    private func runShop(
        on backend: Backend, stores: any ShopStores, seed: UInt64, databaseRestart: (@Sendable () async throws -> Void)?, logger: Logger
    ) async throws {
        let shop = try await Shop(
            orders: orders, users: users, chaos: chaos, seed: seed, backend: backend, stores: stores, databaseRestart: databaseRestart,
            logger: logger)
        let verdict = try await shop.run()
        print(verdict.summary)
        guard verdict.problems.isEmpty else {
            for problem in verdict.problems { print("FAILED: \(problem)") }
            print("the services' data is kept in \(stores.location)")
            throw ExitCode(1)
        }
        try? await stores.remove()
        print("verified: every order paid once and shipped once, like counts exact, " + (chaos ? "the DLQ holds exactly the poison message and the order that breaks its contract" : "the DLQ is empty"))
    }
}

/// Decides, reproducibly, where chaos strikes.
final class Chaos: Sendable {
    let enabled: Bool
    private let generator: Mutex<SplitMix64>

    init(enabled: Bool, seed: UInt64) {
        self.enabled = enabled
        generator = Mutex(SplitMix64(seed: seed ^ 0xC4A0_5C4A_05C4_A05C))
    }

    /// True with probability `chance` when chaos is on.
    func strikes(_ chance: Double) -> Bool {
        guard enabled else { return false }
        return generator.withLock { Double($0.next() % 1_000_000) / 1_000_000 < chance }
    }
}

struct InjectedFailure: Error, CustomStringConvertible {
    var description: String { "injected handler failure" }
}

struct Verdict {
    var summary: String
    var problems: [String]
}
