import ContractChecker
import ContractModel
import EventCore

/// What the index page's search looks through, as a script (a JSON file cannot be fetched from
/// `file://`): per event its names, owner, topic, summary, services and every field of every
/// version, records' fields included.
enum SearchIndex {
    static func script(for contracts: [CheckedContract]) -> String {
        let entries = contracts.map { contract -> JSONValue in
            var fields: [String] = []
            for version in contract.versions {
                for name in version.fields.map(\.name) + version.types.flatMap({ $0.fields.map(\.name) }) where !fields.contains(name) {
                    fields.append(name)
                }
            }
            let services = contract.producers + contract.consumers.map(\.service)
            return .object([
                ("event", .string(contract.event)),
                ("namespace", .string(contract.namespace)),
                ("owner", .string(contract.owner)),
                ("topic", .string(contract.topic)),
                ("summary", .string(contract.summary ?? "")),
                ("services", .array(services.map { .string($0) })),
                ("fields", .array(fields.map { .string($0) })),
                ("url", .string(CatalogSite.pagePath(contract))),
            ])
        }
        return "window.EVENTC_INDEX = " + JSONValue.array(entries).rendered() + ";\n"
    }
}
