// The shop example: four services on the generated contracts, on the in-process broker or Kafka.
//   swift run shop-demo [--chaos] [--orders N] [--seed S] [--kafka-mock | --kafka HOST:PORT] [--store sqlite|postgres]
// Orders are created; payments are taken (and PaymentCompleted published through the outbox);
// deliveries start (through the inbox); likes are counted in batches. With --chaos: handler
// failures, consumers that crash before committing, a poison message, a producer bug a data rule
// catches (refused at the publisher; dead-lettered when an unchecked producer sends it), and a
// broker outage for the outbox relay. With --store postgres (the server at EVENTC_POSTGRES_URL) the services keep their
// data in PostgreSQL and three relays share the outbox. The demo then checks the final state exactly and exits 1 if it is wrong.
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

    mutating func validate() throws {
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

    mutating func run() async throws {
        let seed = seed ?? UInt64.random(in: 1...UInt64.max)
        var logger = Logger(label: "shop-demo")
        logger.logLevel = .error
        let backend = try await makeBackend(logger: logger)
        print("shop-demo: \(orders) orders, \(users) users, chaos \(chaos ? "on" : "off"), seed \(seed), on \(backend.name), data in \(store.rawValue)")
        guard store == .postgres, let url = ProcessInfo.processInfo.environment["EVENTC_POSTGRES_URL"] else {
            return try await runShop(on: backend, stores: try await SQLiteShopStores(), seed: seed, logger: logger)
        }
        let client = PostgresClient(configuration: try .fromURL(url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await runShop(on: backend, stores: try await PostgresShopStores(client: client, logger: logger), seed: seed, logger: logger)
        }
    }

    private func runShop(on backend: Backend, stores: any ShopStores, seed: UInt64, logger: Logger) async throws {
        let shop = try await Shop(orders: orders, users: users, chaos: chaos, seed: seed, backend: backend, stores: stores, logger: logger)
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
