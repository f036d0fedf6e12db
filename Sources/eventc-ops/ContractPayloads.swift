import ContractChecker
import ContractCodegen
import ContractModel
import EventCore
import Foundation

/// Payloads read by their contract alone, with no generated code: what an operator needs to see
/// a dead-lettered record, in whatever encoding it came. Each contract version's schema is the
/// one `eventc export avro` writes; JSON and Avro are read with the runtime's own decoders and
/// read plans, and printed as the contract's canonical JSON.
struct ContractPayloads {
    /// How the payload is encoded.
    enum Format: String, CaseIterable, Sendable {
        /// The contract's JSON.
        case json
        /// Avro binary, unframed (`--version` says which version wrote it).
        case avro
        /// Avro in Confluent's frame (its schema id says which schema wrote it).
        case confluent
    }

    /// Why a payload could not be read: said so an operator knows what it is and what to try.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let contracts: [CheckedContract]
    /// Schemas beyond the contracts' own versions, by id (`--schema-table`).
    let table: SchemaTable?

    /// The contract of `event`, or why there is none.
    func contract(_ event: String) throws(Failure) -> CheckedContract {
        guard let contract = contracts.first(where: { $0.event == event }) else {
            throw Failure(description: "no contract for event '\(event)'; the contracts have: \(contracts.map(\.event).sorted().joined(separator: ", "))")
        }
        return contract
    }

    /// The format a payload is in: JSON unless it starts with Confluent's magic byte.
    static func sniff(_ payload: [UInt8]) -> Format { payload.first == ConfluentFrame.magicByte ? .confluent : .json }

    /// `payload`, written by `version` (nil: the newest) in `format`, as the canonical JSON of the
    /// version it was written with (or the newest, for a schema that is no version of the contract).
    func decode(_ payload: [UInt8], event: String, format: Format, version: Int?) throws(Failure) -> JSONValue {
        let contract = try contract(event)
        let texts = contract.versions.map { AvroSchemaExporter.schema(of: contract, version: $0).compact() }
        let schemas = EventSchemaSet(schemas: texts)
        let writtenBy = version ?? contract.latest.number
        guard format == .confluent || contract.version(writtenBy) != nil else {
            throw Failure(description: "\(event) has no version \(writtenBy); its versions are 1 to \(contract.latest.number)")
        }
        do {
            switch format {
            case .json:
                let schema = schemas.versions[writtenBy - 1].schema
                return try SchemaDrivenCoding.read(json: payload, writer: schema, reader: schema)
            case .avro:
                let schema = schemas.versions[writtenBy - 1].schema
                return try SchemaDrivenCoding.read(avro: payload, writer: schema, reader: schema)
            case .confluent:
                let (id, _) = try payload.withUnsafeBytes { (raw) throws(EventDecodingError) in try ConfluentFrame.parse(raw) }
                let writer: WriterSchema
                if let table {
                    writer = try table.writerSchema(forId: id, reading: schemas)
                } else {
                    writer = try DerivedSchemaIds().writerSchema(forId: id, reading: schemas)
                }
                let reader = writer.version.map { schemas.versions[$0 - 1].schema } ?? schemas.versions.last?.schema ?? writer.schema
                do {
                    return try SchemaDrivenCoding.read(avro: Array(payload[ConfluentFrame.headerSize...]), writer: writer.schema, reader: reader)
                } catch {
                    var shifted = error
                    shifted.offset += ConfluentFrame.headerSize
                    throw shifted
                }
            }
        } catch {
            throw Failure(description: "the \(format.rawValue) payload (\(payload.count) bytes) is no \(event)\(format == .confluent ? "" : " v\(writtenBy)"): \(error)")
        }
    }
}
