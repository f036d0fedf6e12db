import ContractChecker
import ContractCodegen
import ContractModel

/// `eventc docs`: the event catalog as a static site that works from `file://` (no server, no
/// network, no web fonts). The same contracts always give the same files, byte for byte.
public enum CatalogSite {
    /// One file of the site, relative to its folder.
    public struct File: Sendable, Hashable {
        /// The file's path inside the site folder.
        public var path: String
        /// Its text.
        public var contents: String
    }

    /// Every file of the site for `contracts`: pages, search index, diagram, and the exporters' files.
    public static func files(for contracts: [CheckedContract], title: String = "Event catalog") -> [File] {
        let ordered = contracts.sorted { ($0.namespace, $0.event) < ($1.namespace, $1.event) }
        var files = [
            File(path: "index.html", contents: IndexPage(contracts: ordered, title: title).render()),
            File(path: "style.css", contents: SiteAssets.stylesheet),
            File(path: "search.js", contents: SiteAssets.searchScript),
            File(path: "search-index.js", contents: SearchIndex.script(for: ordered)),
            File(path: "topology.svg", contents: TopologyDiagram(ordered).svg()),
        ]
        let asyncAPI = AsyncAPIExporter.document(of: ordered, info: .init(title: title))
        files.append(File(path: "asyncapi.yaml", contents: asyncAPI.renderedYAML()))
        files.append(File(path: "asyncapi.json", contents: asyncAPI.rendered() + "\n"))
        for contract in ordered {
            files.append(File(path: pagePath(contract), contents: EventPage(contract: contract).render()))
            for version in contract.versions {
                files.append(File(
                    path: "schemas/" + JSONSchemaExporter.relativePath(of: contract, version: version.number),
                    contents: JSONSchemaExporter.schema(of: contract, version: version).rendered() + "\n"))
                files.append(File(
                    path: "avro/" + AvroSchemaExporter.relativePath(of: contract, version: version.number),
                    contents: AvroSchemaExporter.schema(of: contract, version: version).rendered() + "\n"))
            }
        }
        return files
    }

    /// `events/<namespace>/<Event>.html`.
    static func pagePath(_ contract: CheckedContract) -> String {
        "events/\(contract.namespace)/\(contract.event).html"
    }
}
