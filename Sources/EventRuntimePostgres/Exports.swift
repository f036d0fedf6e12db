@_exported import PostgresNIO
