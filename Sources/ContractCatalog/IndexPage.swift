import ContractChecker
import ContractModel

/// The catalog's front page: search, the topology picture, and every event by namespace.
struct IndexPage {
    let contracts: [CheckedContract]
    let title: String

    func render() -> String {
        var body = """
            <header class="site"><h1>\(HTML.escape(title))</h1>
            <p class="lead">\(contracts.count) event\(contracts.count == 1 ? "" : "s") in \(namespaces.count) namespace\(namespaces.count == 1 ? "" : "s"). \
            Exports: <a href="asyncapi.yaml">AsyncAPI (YAML)</a> · <a href="asyncapi.json">AsyncAPI (JSON)</a></p>
            <form class="search" id="search" role="search" hidden>
            <label for="query">Search events, fields, owners, topics and services</label>
            <input id="query" name="q" type="search" autocomplete="off" placeholder="e.g. orderId, payments-team, likes">
            </form>
            <section id="results" aria-live="polite" hidden></section>
            </header>
            <main>
            <section class="topology-section"><h2>Who produces and who consumes</h2>
            <div class="topology-scroll">\(TopologyDiagram(contracts).svg())</div></section>

            """
        for namespace in namespaces {
            body += "<section class=\"namespace\" id=\"ns-\(HTML.escape(namespace))\"><h2>\(HTML.escape(namespace))</h2>\n"
            body += "<div class=\"table-scroll\"><table class=\"events\"><thead><tr><th>Event</th><th>Summary</th><th>Owner</th><th>Topic</th><th>Version</th></tr></thead><tbody>\n"
            for contract in contracts where contract.namespace == namespace {
                body += "<tr><td><a href=\"\(HTML.escape(CatalogSite.pagePath(contract)))\">\(HTML.escape(contract.event))</a></td>"
                body += "<td>\(HTML.escape(contract.summary ?? ""))</td><td>\(HTML.escape(contract.owner))</td>"
                body += "<td><code>\(HTML.escape(contract.topic))</code></td><td>v\(contract.latest.number)</td></tr>\n"
            }
            body += "</tbody></table></div></section>\n"
        }
        body += byOwner()
        body += "</main>\n"
        return HTML.page(title: title, root: "", body: body, scripts: ["search-index.js", "search.js"])
    }

    /// Who to ask about an event: each owner with the events it owns.
    private func byOwner() -> String {
        let owners = Set(contracts.map(\.owner)).sorted()
        var html = "<section class=\"owners\" id=\"owners\"><h2>By owner</h2><dl class=\"facts\">\n"
        for owner in owners {
            let links = contracts.filter { $0.owner == owner }.map {
                "<a href=\"\(HTML.escape(CatalogSite.pagePath($0)))\">\(HTML.escape($0.event))</a>"
            }
            html += "<dt>\(HTML.escape(owner))</dt><dd>\(links.joined(separator: ", "))</dd>\n"
        }
        return html + "</dl></section>\n"
    }

    private var namespaces: [String] {
        var seen: [String] = []
        for contract in contracts where !seen.contains(contract.namespace) { seen.append(contract.namespace) }
        return seen
    }
}
