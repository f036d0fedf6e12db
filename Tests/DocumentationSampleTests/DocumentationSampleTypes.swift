import EventTestSupport

/// The "Inboxes and transactional outboxes" article names the reader's own stores `MyStores`; here
/// they are SQLite's, so the sample compiles against a real conformance.
typealias MyStores = SQLiteConformanceStores
