// A target that generates its event types at build time with the EventcGenerate plugin:
// LikeCounted comes from Contracts/likes/LikeCounted.yaml (namespace "likes", from its folder) and
// ProductViewed from Contracts/ProductViewed.yaml, beside this file.
import EventRuntime

let event = LikeCounted(productId: "p-42", likes: 7)
do {
    let bytes = try event.jsonBytes()
    let decoded = try LikeCounted.decode(json: bytes, version: LikeCounted.currentVersion)
    print(String(decoding: bytes, as: UTF8.self))
    print("round trip: \(decoded == event ? "ok" : "FAILED"), key \(decoded.partitionKey ?? "none"), topic \(LikeCounted.topic), namespace \(LikeCounted.namespace)")
    print("also generated: \(EventCatalog.contracts.map(\.eventType).sorted().joined(separator: ", "))")
} catch {
    print("error: \(error)")
}
