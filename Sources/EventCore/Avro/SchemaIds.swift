/// Maps contract versions to the schema ids records are framed with, and ids back to the schemas
/// the data was written with: the seam between the Avro codec and a schema registry.
///
/// `DerivedSchemaIds`, the default, needs no registry: a schema's id follows from the schema
/// itself. `SchemaTable` reads fixed ids from a file. A registry client is another conformance.
public protocol SchemaIdResolver: Sendable {
    /// The id records of version `version` of `schemas`' contract are framed with.
    func schemaId(ofVersion version: Int, in schemas: EventSchemaSet) throws(EventEncodingError) -> Int32
    /// The schema a record framed with `id` was written with; `schemas` are the reader's own.
    func writerSchema(forId id: Int32, reading schemas: EventSchemaSet) throws(EventDecodingError) -> WriterSchema
}

/// Ids that follow from the schemas: the top 31 bits of the CRC-64-AVRO fingerprint of a
/// schema's Parsing Canonical Form (0 counts as 1). The same contracts always give the same ids,
/// a schema keeps its id, and schemas that differ only in docs, aliases, defaults or attribute
/// order share one, as in a Confluent registry. Every service computes them alike, so publishers
/// and consumers agree without a registry.
///
/// A reader resolves the ids of its own contract's versions; for others (a newer version than
/// its code knows), give it their schemas (`extra`).
public struct DerivedSchemaIds: SchemaIdResolver {
    /// Schemas beyond the reader's own versions, by their derived id.
    public let extra: [Int32: WriterSchema]

    /// Resolves the reader's own versions, and `extra` schemas.
    public init(extra: [AvroSchema] = []) {
        self.extra = Dictionary(extra.map { WriterSchema($0) }.map { ($0.derivedId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id derived from version `version`'s schema.
    public func schemaId(ofVersion version: Int, in schemas: EventSchemaSet) throws(EventEncodingError) -> Int32 {
        guard let id = schemas.derivedId(ofVersion: version) else {
            throw EventEncodingError(path: "", "version \(version) has no schema")
        }
        return id
    }

    /// The contract version whose schema's derived id is `id`, or a schema given in `extra`;
    /// an id neither names is an `unknownSchema` error that says to give the reader the writer's schema.
    public func writerSchema(forId id: Int32, reading schemas: EventSchemaSet) throws(EventDecodingError) -> WriterSchema {
        if let own = schemas.versions.first(where: { $0.derivedId == id }) { return own }
        if let schema = extra[id] { return schema }
        throw EventDecodingError(
            .unknownSchema, path: "", offset: 1,
            "schema id \(id) is no version this code knows: give the reader the writer's schema (a schema table)")
    }
}

extension SchemaIdResolver where Self == DerivedSchemaIds {
    /// Ids derived from the schemas themselves (see `DerivedSchemaIds`).
    public static var derived: DerivedSchemaIds { DerivedSchemaIds() }
}

/// Fixed ids for schemas, read from a JSON file — the ids a registry gave them, or `eventc export
/// schema-table`'s derived ones for versions a service's code does not know yet:
///
/// ```json
/// {"schemas": [{"id": 7, "subject": "payments.payment-completed-value", "version": 3, "schema": "{…}"}]}
/// ```
///
/// `schema` is the schema's JSON text (as a registry returns it); `subject` and `version` say
/// where it came from. A contract version is matched to its id by schema (Parsing Canonical Form),
/// not by name.
public struct SchemaTable: SchemaIdResolver {
    /// The table's schemas by id.
    public let schemas: [Int32: WriterSchema]
    /// Ids by fingerprint, for publishing.
    let ids: [UInt64: Int32]

    /// A table of `(id, schema)` pairs.
    public init(_ entries: [(id: Int32, schema: AvroSchema)]) {
        var schemas: [Int32: WriterSchema] = [:]
        var ids: [UInt64: Int32] = [:]
        for entry in entries {
            let writer = WriterSchema(entry.schema)
            schemas[entry.id] = writer
            ids[writer.fingerprint] = ids[writer.fingerprint] ?? entry.id
        }
        self.schemas = schemas
        self.ids = ids
    }

    /// Reads a table file's bytes; `file` names it in errors.
    public init(json bytes: [UInt8], file: String) throws(SchemaTableError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw SchemaTableError(file: file, "not JSON: \(error)")
        }
        guard case .array(let items)? = value["schemas"] else {
            throw SchemaTableError(file: file, "expected {\"schemas\": [{\"id\": …, \"schema\": \"…\"}, …]}")
        }
        var entries: [(id: Int32, schema: AvroSchema)] = []
        for (index, item) in items.enumerated() {
            guard case .number(let text)? = item["id"], let id = Int32(text), id >= 0 else {
                throw SchemaTableError(file: file, "schemas[\(index)] has no \"id\" (a non-negative 32-bit integer)")
            }
            guard let schemaText = item["schema"]?.stringValue else {
                throw SchemaTableError(file: file, "schemas[\(index)] has no \"schema\" (the schema's JSON as a string)")
            }
            do {
                entries.append((id, try AvroSchema(json: schemaText)))
            } catch {
                throw SchemaTableError(file: file, "schemas[\(index)] (id \(id)): \(error)")
            }
            if entries.dropLast().contains(where: { $0.id == id }) {
                throw SchemaTableError(file: file, "schemas[\(index)]: id \(id) is given twice")
            }
        }
        self.init(entries)
    }

    /// The table's id for version `version`'s schema (by fingerprint: a schema spelled differently
    /// but the same in Parsing Canonical Form has the same id); an error when the table lacks it.
    public func schemaId(ofVersion version: Int, in schemas: EventSchemaSet) throws(EventEncodingError) -> Int32 {
        guard version >= 1, version <= schemas.versions.count, let id = ids[schemas.versions[version - 1].fingerprint] else {
            throw EventEncodingError(path: "", "the schema table has no id for version \(version): add the version's schema to it")
        }
        return id
    }

    /// The schema the table gives `id`; an `unknownSchema` error when it has none.
    public func writerSchema(forId id: Int32, reading schemas: EventSchemaSet) throws(EventDecodingError) -> WriterSchema {
        guard let schema = self.schemas[id] else {
            throw EventDecodingError(.unknownSchema, path: "", offset: 1, "schema id \(id) is not in the schema table")
        }
        return schema
    }
}

/// A schema table file that could not be read: which file, and what is wrong.
public struct SchemaTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The table's path, as given.
    public var file: String
    /// What is wrong with it.
    public var message: String

    /// An error about `file`.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
