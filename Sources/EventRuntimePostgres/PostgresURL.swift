import Foundation
import PostgresNIO

/// Configuring a client from a connection URL.
extension PostgresClient.Configuration {
    /// A client configuration from a connection URL, as `psql` takes one:
    /// `postgres://user:password@host:5432/database?sslmode=disable|prefer|require`.
    /// `sslmode` defaults to `prefer` (TLS when the server offers it). Password and names are
    /// percent-decoded.
    public static func fromURL(_ url: String) throws(PostgresStoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw PostgresStoreError(.invalidURL, "'\(redacted(url))' is not a PostgreSQL URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let tls: PostgresClient.Configuration.TLS
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let other:
            throw PostgresStoreError(.invalidURL, "sslmode '\(other)' in '\(redacted(url))' is not one of disable, prefer, require")
        }
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user?.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: tls)
    }

    /// The URL without its password, for messages.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
