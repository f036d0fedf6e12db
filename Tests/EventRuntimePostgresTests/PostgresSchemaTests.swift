import EventRuntimePostgres
import Foundation
import Testing

extension PostgresStoreTests {
    @Suite("PostgreSQL schema")
    struct SchemaTests {
        @Test("six instances migrating fresh tables at once: the steps run once, the version is recorded, all six can use the tables")
        func concurrentMigrationsRunOnce() async throws {
            let tables = try PostgresTestServer.freshTables()
            try await PostgresTestServer.withClient { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<6 {
                        group.addTask {
                            let inbox = try await PostgresInbox(client: client, tables: tables, logger: PostgresTestServer.logger)
                            #expect(try await inbox.processOnce(id: "e\(index)", group: "g") {})
                            _ = try await PostgresOutbox(client: client, source: "/s", tables: tables, configuration: .init(logger: PostgresTestServer.logger))
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await client.count("SELECT steps FROM \"\(unescaped: tables.schema)\".eventc_schema_version WHERE component = 'stores'") == 6)
                #expect(try await client.count("SELECT count(*) FROM \"\(unescaped: tables.schema)\".eventc_inbox") == 6)
            }
        }

        @Test("tables migrated by a newer version are refused, naming the table and what to do, and left as they are")
        func newerSchemaIsRefused() async throws {
            let tables = try PostgresTestServer.freshTables()
            try await PostgresTestServer.withClient { client in
                _ = try await PostgresInbox(client: client, tables: tables, logger: PostgresTestServer.logger)
                try await client.run("UPDATE \"\(tables.schema)\".eventc_schema_version SET steps = 99")
                do {
                    _ = try await PostgresInbox(client: client, tables: tables, logger: PostgresTestServer.logger)
                    Issue.record("opened tables of a newer version")
                } catch let error as PostgresStoreError {
                    #expect(error.code == .schemaFromNewerVersion)
                    #expect(error.message.contains("eventc_schema_version") && error.message.contains("newer version"))
                }
                #expect(try await client.count("SELECT steps FROM \"\(unescaped: tables.schema)\".eventc_schema_version") == 99)
            }
        }

        @Test("two table sets in one database do not meet: each prefix has its own inbox")
        func prefixesSeparateTableSets() async throws {
            let schema = try PostgresTestServer.freshTables().schema
            try await PostgresTestServer.withClient { client in
                let billing = try await PostgresInbox(client: client, tables: PostgresTables(schema: schema, prefix: "billing_"), logger: PostgresTestServer.logger)
                let shipping = try await PostgresInbox(client: client, tables: PostgresTables(schema: schema, prefix: "shipping_"), logger: PostgresTestServer.logger)
                #expect(try await billing.processOnce(id: "e1", group: "g") {})
                #expect(try await shipping.processOnce(id: "e1", group: "g") {})
                #expect(try await client.count("SELECT count(*) FROM \"\(unescaped: schema)\".billing_inbox") == 1)
            }
        }
    }
}

@Suite("PostgreSQL configuration")
struct PostgresConfigurationTests {
    @Test("schema and prefix must be plain identifiers: they are written into SQL", arguments: [
        ("Public", "eventc_"), ("public; DROP TABLE x", "eventc_"), ("public", "a\"b"), ("", "eventc_"), ("1abc", "eventc_"),
        ("public", "prefix-with-dash"), (String(repeating: "a", count: 49), "eventc_"),
    ])
    func invalidNamesAreRefused(schema: String, prefix: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresTables(schema: schema, prefix: prefix) }
        do {
            _ = try PostgresTables(schema: schema, prefix: prefix)
        } catch {
            #expect(error.code == .invalidName)
        }
    }

    @Test("valid names, and an empty prefix")
    func validNames() throws {
        #expect(try PostgresTables(schema: "billing", prefix: "").prefix == "")
        #expect(try PostgresTables(schema: "_s1", prefix: "svc_2_").schema == "_s1")
    }

    @Test("connection URLs: host, port, user, percent-decoded password, database and sslmode")
    func urls() throws {
        let configuration = try PostgresClient.Configuration.fromURL("postgres://app:p%40ss@db.internal:6543/orders?sslmode=disable")
        #expect(configuration.host == "db.internal" && configuration.port == 6543)
        #expect(configuration.username == "app" && configuration.password == "p@ss" && configuration.database == "orders")
        #expect(try PostgresClient.Configuration.fromURL("postgresql://app@localhost/orders").port == 5432)
        for bad in ["mysql://a@b/c", "postgres:///orders", "postgres://db/orders", "postgres://a@b/c?sslmode=maybe"] {
            #expect(throws: PostgresStoreError.self, "\(bad)") { try PostgresClient.Configuration.fromURL(bad) }
        }
        do {
            _ = try PostgresClient.Configuration.fromURL("mysql://app:secret@b/c")
        } catch {
            #expect(!error.message.contains("secret"), "the password is in the message")
        }
    }
}
