import ContractChecker
import ContractCodegen
import ContractModel

/// One event's page: what it means, who owns, sends and reads it, how it is delivered, and each
/// version with its fields, its change from the one before (and the verdict), and an example.
struct EventPage {
    let contract: CheckedContract
    /// Pages live two folders down: `events/<namespace>/`.
    let root = "../../"

    func render() -> String {
        var body = """
            <header class="site"><nav><a href="\(root)index.html">Catalog</a> / \
            <a href="\(root)index.html#ns-\(HTML.escape(contract.namespace))">\(HTML.escape(contract.namespace))</a></nav>
            <h1>\(HTML.escape(contract.event))</h1>
            <p class="lead">\(HTML.escape(contract.summary ?? "No summary yet."))</p></header>
            <main>

            """
        body += facts() + services() + delivery()
        let changes = contract.changes
        for version in contract.versions.reversed() {
            body += versionSection(version, change: changes.first { $0.to == version.number })
        }
        body += exports()
        body += "</main>\n"
        return HTML.page(title: "\(contract.event) — event catalog", root: root, body: body)
    }

    private func facts() -> String {
        var rows: [(String, String)] = [
            ("Owner", HTML.escape(contract.owner)),
            ("Topic", "<code>\(HTML.escape(contract.topic))</code>, \(contract.partitions) partition\(contract.partitions == 1 ? "" : "s")"),
            ("Partition key", (contract.keyField.map { "<code>\(HTML.escape($0))</code>. " } ?? "") + HTML.escape(PolicyDescription.key(contract))),
            ("Retention", HTML.escape(PolicyDescription.retention(contract.retention))),
            ("Encoding", "<code>\(contract.encoding.contentType)</code>. " + HTML.escape(PolicyDescription.encoding(contract.encoding))),
            ("Compatibility", "<code>\(contract.compatibility.rawValue)</code>. " + HTML.escape(PolicyDescription.compatibility(contract.compatibility))),
            ("Current version", "v\(contract.latest.number)"),
        ]
        rows.append(("Contract file", "<code>\(HTML.escape(contract.file))</code>"))
        return "<section><h2>At a glance</h2><dl class=\"facts\">\n"
            + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>\n" }.joined() + "</dl></section>\n"
    }

    private func services() -> String {
        var html = "<section><h2>Who produces and who consumes</h2>\n"
        if contract.producers.isEmpty && contract.consumers.isEmpty {
            return html + "<p class=\"muted\">No producers or consumers are declared (add <code>producers:</code> and <code>consumers:</code> to the contract).</p></section>\n"
        }
        html += "<dl class=\"facts\"><dt>Producers</dt><dd>"
        html += contract.producers.isEmpty ? "<span class=\"muted\">none declared</span>" : contract.producers.map { "<span class=\"service\">\(HTML.escape($0))</span>" }.joined(separator: " ")
        html += "</dd><dt>Consumers</dt><dd>"
        if contract.consumers.isEmpty {
            html += "<span class=\"muted\">none declared</span>"
        } else {
            html += "<ul class=\"consumers\">" + contract.consumers.map { consumer in
                let reads = consumer.reads.map { "reads " + $0.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ") } ?? "reads every field"
                return "<li><span class=\"service\">\(HTML.escape(consumer.service))</span> — \(reads)</li>"
            }.joined() + "</ul>"
        }
        return html + "</dd></dl></section>\n"
    }

    private func delivery() -> String {
        "<section><h2>Delivery</h2><ul class=\"policy\">\n"
            + PolicyDescription.delivery(contract.delivery).map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul></section>\n"
    }

    private func versionSection(_ version: CheckedVersion, change: VersionChange?) -> String {
        let isLatest = version.number == contract.latest.number
        var html = "<section class=\"version\" id=\"v\(version.number)\"><h2>Version \(version.number)\(isLatest ? " <span class=\"badge\">current</span>" : "")</h2>\n"
        if let reason = version.breakingReason {
            html += "<p class=\"breaking\"><strong>Declared breaking:</strong> \(HTML.escape(reason))</p>\n"
        }
        if let change { html += changeSummary(change) }
        html += fieldTable(version.fields, in: version)
        for type in version.types { html += typeSection(type, in: version) }
        html += "<h3>Example payload</h3><pre class=\"example\"><code>\(HTML.escape(ExamplePayload.value(of: version).rendered()))</code></pre>\n"
        html += "<p class=\"links\">Schemas: <a href=\"\(root)schemas/\(HTML.escape(JSONSchemaExporter.relativePath(of: contract, version: version.number)))\">JSON Schema</a> · "
        html += "<a href=\"\(root)avro/\(HTML.escape(AvroSchemaExporter.relativePath(of: contract, version: version.number)))\">Avro</a></p>\n"
        return html + "</section>\n"
    }

    private func changeSummary(_ change: VersionChange) -> String {
        var parts: [String] = []
        func names(_ list: [String]) -> String { list.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ") }
        if !change.addedFields.isEmpty { parts.append("added \(names(change.addedFields))") }
        if !change.removedFields.isEmpty { parts.append("removed \(names(change.removedFields))") }
        if !change.changedFields.isEmpty { parts.append("changed \(names(change.changedFields))") }
        if !change.changedTypes.isEmpty { parts.append("changed the type\(change.changedTypes.count == 1 ? "" : "s") \(names(change.changedTypes))") }
        let what = parts.isEmpty ? "no field changed" : parts.joined(separator: "; ")
        let (verdict, kind): (String, String)
        switch (change.isBackwardCompatible, change.isForwardCompatible) {
        case (true, true): (verdict, kind) = ("Fully compatible: v\(change.to) consumers read v\(change.from) events, and v\(change.from) consumers read v\(change.to) events.", "ok")
        case (true, false): (verdict, kind) = ("Backward compatible: v\(change.to) consumers read v\(change.from) events; v\(change.from) consumers cannot read v\(change.to) events.", "partial")
        case (false, true): (verdict, kind) = ("Forward compatible: v\(change.from) consumers read v\(change.to) events; v\(change.to) consumers cannot read v\(change.from) events.", "partial")
        case (false, false): (verdict, kind) = ("Breaking: neither side reads the other's events.", "bad")
        }
        var html = "<div class=\"change \(kind)\"><p><strong>From v\(change.from):</strong> \(what).</p><p>\(HTML.escape(verdict))</p>"
        let problems = change.backwardProblems.map { "v\(change.to) reading v\(change.from): \($0)" }
            + change.forwardProblems.map { "v\(change.from) reading v\(change.to): \($0)" }
        if !problems.isEmpty { html += "<ul>" + problems.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>" }
        return html + "</div>\n"
    }

    private func fieldTable(_ fields: [CheckedField], in version: CheckedVersion) -> String {
        guard !fields.isEmpty else { return "<p class=\"muted\">No fields.</p>\n" }
        var html = "<div class=\"table-scroll\"><table class=\"fields\"><thead><tr><th>Field</th><th>Type</th><th>Default</th><th>Description</th></tr></thead><tbody>\n"
        for field in fields {
            let isKey = version.fields.contains(field) && field.name == contract.keyField
            let fallback = field.fallback.map { "<code>\(HTML.escape(WireJSON.value(of: $0, type: field.type, in: version).rendered()))</code>" }
                ?? "<span class=\"muted\">required</span>"
            var doc = HTML.escape(field.doc ?? "")
            if field.deprecated { doc = "<span class=\"badge warn\">deprecated</span> " + doc }
            if isKey { doc = "<span class=\"badge\">partition key</span> " + doc }
            for tag in field.tags.reversed() {
                let kind = SensitivityTag.masked.contains(tag) ? " warn" : ""
                doc = "<span class=\"badge tag\(kind)\">\(HTML.escape(tag))</span> " + doc
            }
            let rules = field.rules.written
            if !rules.isEmpty {
                doc += "<div class=\"rules\">" + rules.map { "<code>\(HTML.escape("\($0.rule.rawValue): \($0.value)"))</code>" }.joined(separator: " ") + "</div>"
            }
            html += "<tr><td><code>\(HTML.escape(field.name))</code></td><td><code>\(HTML.escape(field.type.description))</code></td><td>\(fallback)</td><td>\(doc)</td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func typeSection(_ type: CheckedType, in version: CheckedVersion) -> String {
        var html = "<h3><code>\(HTML.escape(type.name))</code> "
        switch type.kind {
        case .record(let fields):
            html += "<span class=\"muted\">record</span></h3>\n"
            if let doc = type.doc { html += "<p>\(HTML.escape(doc))</p>\n" }
            html += fieldTable(fields, in: version)
        case .enumeration(let symbols, let defaultSymbol):
            html += "<span class=\"muted\">enum</span></h3>\n"
            if let doc = type.doc { html += "<p>\(HTML.escape(doc))</p>\n" }
            html += "<p>One of " + symbols.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ") + "."
            if let defaultSymbol { html += " A reader that does not know a symbol reads <code>\(HTML.escape(defaultSymbol))</code>." }
            html += "</p>\n"
        }
        return html
    }

    private func exports() -> String {
        "<section><h2>Exports</h2><p class=\"links\">This event in the whole catalog's <a href=\"\(root)asyncapi.yaml\">AsyncAPI document</a> "
            + "(<a href=\"\(root)asyncapi.json\">JSON</a>), channel <code>\(HTML.escape(contract.topic))</code>.</p></section>\n"
    }
}
