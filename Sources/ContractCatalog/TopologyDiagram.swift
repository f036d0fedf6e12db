import ContractChecker
import ContractModel

/// Producers → topics → consumers as an SVG that `eventc` lays out itself (no JavaScript, no
/// layout engine): three columns of boxes in name order, a curve per declared edge. Colours come
/// from classes the SVG styles for light and dark, so it reads in both.
struct TopologyDiagram {
    struct Node: Hashable {
        var label: String
        var detail: String
    }

    let producers: [Node]
    let topics: [Node]
    let consumers: [Node]
    /// Indices into `producers` → `topics`, and `topics` → `consumers`.
    let producerEdges: [(Int, Int)]
    let consumerEdges: [(Int, Int)]

    init(_ contracts: [CheckedContract]) {
        let producerNames = Set(contracts.flatMap(\.producers)).sorted()
        let consumerNames = Set(contracts.flatMap { $0.consumers.map(\.service) }).sorted()
        let topicNames = Set(contracts.map(\.topic)).sorted()
        func events(on topic: String) -> String {
            contracts.filter { $0.topic == topic }.map(\.event).sorted().joined(separator: ", ")
        }
        producers = producerNames.map { Node(label: $0, detail: "producer") }
        consumers = consumerNames.map { Node(label: $0, detail: "consumer") }
        topics = topicNames.map { Node(label: $0, detail: events(on: $0)) }
        var producerEdges = Set<[Int]>()
        var consumerEdges = Set<[Int]>()
        for contract in contracts {
            guard let topic = topicNames.firstIndex(of: contract.topic) else { continue }
            for producer in contract.producers {
                if let index = producerNames.firstIndex(of: producer) { producerEdges.insert([index, topic]) }
            }
            for consumer in contract.consumers {
                if let index = consumerNames.firstIndex(of: consumer.service) { consumerEdges.insert([topic, index]) }
            }
        }
        self.producerEdges = producerEdges.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
        self.consumerEdges = consumerEdges.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
    }

    static let boxWidth = 250
    static let boxHeight = 44
    static let rowGap = 14
    static let columnX = [10, 340, 670]
    static let top = 34

    var height: Int {
        let rows = max(producers.count, topics.count, consumers.count, 1)
        return Self.top + rows * (Self.boxHeight + Self.rowGap) + 6
    }

    /// The y of a box's top, each column centred on the tallest.
    private func y(_ index: Int, of count: Int) -> Int {
        let rows = max(producers.count, topics.count, consumers.count, 1)
        let offset = (rows - count) * (Self.boxHeight + Self.rowGap) / 2
        return Self.top + offset + index * (Self.boxHeight + Self.rowGap)
    }

    func svg() -> String {
        let width = Self.columnX[2] + Self.boxWidth + 10
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="topology" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="Producers, topics and consumers">
            <style>
            .topo-box { fill: #f4f6fa; stroke: #5b6b85; stroke-width: 1.2; }
            .topo-topic { fill: #e8f1ff; stroke: #2f6fd6; }
            .topo-label { font: 600 13px system-ui, sans-serif; fill: #17202e; }
            .topo-detail { font: 11px system-ui, sans-serif; fill: #5b6b85; }
            .topo-heading { font: 700 12px system-ui, sans-serif; fill: #5b6b85; letter-spacing: .06em; }
            .topo-edge { fill: none; stroke: #8a97ad; stroke-width: 1.4; }
            @media (prefers-color-scheme: dark) {
              .topo-box { fill: #1d2533; stroke: #8a97ad; }
              .topo-topic { fill: #172a47; stroke: #6ea0ff; }
              .topo-label { fill: #e8edf5; }
              .topo-detail, .topo-heading { fill: #a9b4c7; }
              .topo-edge { stroke: #6b7890; }
            }
            </style>

            """
        for (column, heading) in ["PRODUCERS", "TOPICS", "CONSUMERS"].enumerated() {
            svg += "<text class=\"topo-heading\" x=\"\(Self.columnX[column])\" y=\"18\">\(heading)</text>\n"
        }
        for (from, to) in producerEdges {
            svg += edge(fromX: Self.columnX[0] + Self.boxWidth, fromY: y(from, of: producers.count),
                        toX: Self.columnX[1], toY: y(to, of: topics.count))
        }
        for (from, to) in consumerEdges {
            svg += edge(fromX: Self.columnX[1] + Self.boxWidth, fromY: y(from, of: topics.count),
                        toX: Self.columnX[2], toY: y(to, of: consumers.count))
        }
        for (column, nodes) in [producers, topics, consumers].enumerated() {
            for (index, node) in nodes.enumerated() {
                svg += box(node, x: Self.columnX[column], y: y(index, of: nodes.count), isTopic: column == 1)
            }
        }
        return svg + "</svg>\n"
    }

    private func edge(fromX: Int, fromY: Int, toX: Int, toY: Int) -> String {
        let (y1, y2) = (fromY + Self.boxHeight / 2, toY + Self.boxHeight / 2)
        let middle = (fromX + toX) / 2
        return "<path class=\"topo-edge\" d=\"M\(fromX) \(y1) C\(middle) \(y1) \(middle) \(y2) \(toX) \(y2)\"/>\n"
    }

    private func box(_ node: Node, x: Int, y: Int, isTopic: Bool) -> String {
        """
        <g><title>\(HTML.escape(node.label)) — \(HTML.escape(node.detail))</title>\
        <rect class="topo-box\(isTopic ? " topo-topic" : "")" x="\(x)" y="\(y)" width="\(Self.boxWidth)" height="\(Self.boxHeight)" rx="7"/>\
        <text class="topo-label" x="\(x + 10)" y="\(y + 18)">\(HTML.escape(Self.fitted(node.label, 32)))</text>\
        <text class="topo-detail" x="\(x + 10)" y="\(y + 35)">\(HTML.escape(Self.fitted(node.detail, 40)))</text></g>

        """
    }

    /// Labels longer than a box are cut with an ellipsis; the full text is the box's tooltip.
    static func fitted(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
