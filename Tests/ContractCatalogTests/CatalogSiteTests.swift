import ContractCatalog
import ContractChecker
import ContractModel
import Foundation
import Testing
import ToolTestSupport

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Event catalog site")
struct CatalogSiteTests {
    static func checked(_ sources: [(String, String)]) throws -> [CheckedContract] {
        try CheckedFixtures.contracts(sources.map { ($0.0, Data($0.1.utf8)) })
    }

    static func exampleContracts() throws -> [CheckedContract] {
        try CheckedFixtures.contracts(under: "Contracts")
    }

    static func site() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: CatalogSite.files(for: try exampleContracts()).map { ($0.path, $0.contents) })
    }

    @Test("an index, a page per event, every version's JSON Schema and Avro schema, and the AsyncAPI document")
    func files() throws {
        let site = try Self.site()
        for path in ["index.html", "style.css", "search.js", "search-index.js", "topology.svg", "asyncapi.yaml", "asyncapi.json",
                     "events/payments/PaymentCompleted.html", "schemas/payments/PaymentCompleted.v1.schema.json",
                     "schemas/payments/PaymentCompleted.v3.schema.json", "avro/orders/OrderCreated.v2.avsc"] {
            #expect(site[path] != nil, "missing \(path)")
        }
        #expect(site.keys.filter { $0.hasPrefix("events/") }.count == 8)
        let refund = try #require(site["events/payments/RefundIssued.html"])
        #expect(refund.contains("<code>exclusiveMin: 0</code>") && refund.contains("<code>pattern: ^[A-Z]{3}$</code>"), "the page shows each field's rules")
        #expect(refund.contains("<span class=\"badge tag warn\">pii</span>"), "and its tags")
        let index = try #require(site["index.html"])
        #expect(index.contains("<dt>payments-team</dt><dd><a href=\"events/payments/PaymentCompleted.html\">PaymentCompleted</a>, <a href=\"events/payments/RefundIssued.html\">RefundIssued</a></dd>"))
        let page = try #require(site["events/payments/PaymentCompleted.html"])
        for text in ["payments-team", "payments.payment-completed", "12 partitions", "FULL_TRANSITIVE", "delivery-service",
                     "reads <code>orderId</code>", "Version 3", "From v2:", "Fully compatible", "installments",
                     "Kept for 30 days", "5 attempts", "payments.payment-completed.dlq", "&quot;installments&quot;: 1"] {
            #expect(page.contains(text), "the page lacks \(text)")
        }
    }

    @Test("the same contracts give the same bytes, whatever their order")
    func deterministic() throws {
        let contracts = try Self.exampleContracts()
        #expect(CatalogSite.files(for: contracts) == CatalogSite.files(for: contracts.reversed()))
    }

    @Test("every local link and anchor in every page leads to a file of the site")
    func linksResolve() throws {
        let site = try Self.site()
        var checked = 0
        for (path, contents) in site where path.hasSuffix(".html") {
            for target in Self.attributes(["href", "src"], in: contents) where !target.hasPrefix("http") {
                let (file, anchor) = Self.split(target)
                let resolved = file.isEmpty ? path : Self.resolve(file, from: path)
                let linked = try #require(site[resolved], "\(path) links to \(target), which the site lacks")
                if let anchor { #expect(linked.contains("id=\"\(anchor)\""), "\(path) links to \(target): no such anchor") }
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test("text from contracts cannot inject markup or script")
    func escaping() throws {
        let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
        let contracts = try Self.checked([("c/evil/Evil.yaml", """
            event: Evil
            owner: '\(hostile)'
            summary: '\(hostile)'
            topic: evil
            key: id
            producers: [bad-actor]
            versions:
              - version: 1
                fields:
                  id: { type: string, doc: '\(hostile)' }
                  tag: { type: string, default: '\(hostile)' }
            """)])
        for file in CatalogSite.files(for: contracts) where file.path.hasSuffix(".html") || file.path.hasSuffix(".svg") {
            #expect(!file.contents.contains("<script>alert"), "\(file.path)")
            #expect(!file.contents.contains("<img"), "\(file.path)")
        }
        let page = try #require(CatalogSite.files(for: contracts).first { $0.path == "events/evil/Evil.html" })
        #expect(page.contents.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("the topology picture is well-formed SVG with a box per producer, topic and consumer")
    func topology() throws {
        let svg = try #require(try Self.site()["topology.svg"])
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        let boxes = svg.components(separatedBy: "<rect ").count - 1
        // 4 producers, 4 topics, 3 consumers in the shop's contracts; a producer per topic, and
        // 3 topic → consumer edges (ProductLiked and ProductUnliked share theirs).
        #expect(boxes == 12)
        #expect(svg.components(separatedBy: "class=\"topo-edge\"").count - 1 == 8)
    }

    @Test("the search index holds every field of every version, record fields included")
    func searchIndex() throws {
        let script = try #require(try Self.site()["search-index.js"])
        #expect(script.hasPrefix("window.EVENTC_INDEX = ["))
        let json = script.dropFirst("window.EVENTC_INDEX = ".count).dropLast(2)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let payment = try #require(entries.first { $0["event"] as? String == "PaymentCompleted" })
        #expect(Set(payment["fields"] as? [String] ?? []).isSuperset(of: ["installments", "amount", "currency", "capturedAt"]))
        #expect(payment["services"] as? [String] == ["payment-service", "delivery-service"])
    }

    // MARK: Helpers

    static func attributes(_ names: [String], in html: String) -> [String] {
        names.flatMap { name in
            html.components(separatedBy: " \(name)=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
        }
    }

    static func split(_ target: String) -> (String, String?) {
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    /// `../../index.html` from `events/a/B.html` → `index.html`.
    static func resolve(_ target: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for component in target.split(separator: "/") {
            if component == ".." { parts = parts.dropLast() } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }
}
