import EventTestSupport

/// The README's "Testing a store of your own" names the reader's own stores `MyStores`; here they
/// are SQLite's, so the sample compiles against a real conformance.
typealias MyStores = SQLiteConformanceStores
