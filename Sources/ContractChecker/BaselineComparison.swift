import ContractModel

/// `eventc breaking`: the working contracts against a baseline (a git ref or a directory).
/// Contracts are matched by event name, so a moved file is not a removal.
public struct BaselineComparison: Sendable {
    /// How the baseline is named in messages: "main", "HEAD~1", a directory.
    public var baselineName: String

    /// A comparison whose messages name the baseline `baselineName`.
    public init(baselineName: String) { self.baselineName = baselineName }

    /// What changed from `baseline` to `working` that breaks producers or consumers: the history
    /// checks across the two, and the changes a version history cannot show (topic, key, partitions,
    /// compatibility, encoding, a removed contract).
    public func compare(baseline: [Contract], working: [Contract]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var workingByEvent: [String: Contract] = [:]
        for contract in working {
            guard let event = contract.event?.value else { continue }
            workingByEvent[event] = workingByEvent[event] ?? contract
        }
        var seen: Set<String> = []
        for old in baseline {
            guard let event = old.event?.value, seen.insert(event).inserted else { continue }
            guard let new = workingByEvent[event] else {
                diagnostics.append(.error(
                    .contractRemoved, "contract '\(event)' (\(old.file) in \(baselineName)) was removed",
                    at: old.event?.location ?? old.location,
                    hint: "published events stay readable; deprecate it instead, or keep the file"))
                continue
            }
            diagnostics += compareContract(old: old, new: new, event: event)
        }
        for contract in working {
            guard let event = contract.event?.value, !seen.contains(event) else { continue }
            diagnostics += HistoryCompatibility.check(contract)
        }
        return diagnostics
    }

    private func compareContract(old: Contract, new: Contract, event: String) -> [Diagnostic] {
        var diagnostics = settingsChanges(old: old, new: new)
        let anchor = new.event?.location ?? new.location
        var publishedMax = 0
        for oldVersion in old.versions {
            let number = oldVersion.number.value
            publishedMax = max(publishedMax, number)
            guard let newVersion = new.versions.first(where: { $0.number.value == number }) else {
                diagnostics.append(.error(
                    .versionRemoved, "version \(number) of '\(event)' is published in \(baselineName) and was removed",
                    at: anchor, hint: "published versions stay: readers may still meet events written with them"))
                continue
            }
            let (was, now) = (SchemaVersion(old, oldVersion), SchemaVersion(new, newVersion))
            let changes = VersionShape.diff(old: VersionShape.fields(of: was), new: VersionShape.fields(of: now))
            if !changes.isEmpty {
                diagnostics.append(.error(
                    .versionEdited,
                    "version \(number) of '\(event)' is published in \(baselineName) and was edited: \(changes.joined(separator: "; "))",
                    at: VersionShape.firstEdit(old: was, new: now) ?? newVersion.number.location,
                    hint: "published versions are immutable: undo the edit and add version \((new.versions.map(\.number.value).max() ?? number) + 1) with the change"))
            }
        }
        diagnostics += HistoryCompatibility.check(new, fromVersion: publishedMax + 1)
        return diagnostics
    }

    private func settingsChanges(old: Contract, new: Contract) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let at = new.event?.location ?? new.location
        if let oldKey = old.key?.value, oldKey != new.key?.value {
            diagnostics.append(.error(
                .keyChanged, "the key changed from '\(oldKey)' to '\(new.key.map { "\($0.value)" } ?? "nothing")'",
                at: new.key?.location ?? at,
                hint: "a new key sends each entity's events to other partitions and breaks their order; publish a new event instead"))
        }
        if let oldTopic = old.topic?.value, let newTopic = new.topic?.value, oldTopic != newTopic {
            diagnostics.append(.error(
                .topicChanged, "the topic changed from '\(oldTopic)' to '\(newTopic)'", at: new.topic?.location ?? at,
                hint: "consumers subscribed to '\(oldTopic)' would stop receiving the event; keep the topic"))
        }
        let (was, now) = (old.partitions.value, new.partitions.value)
        if now < was {
            diagnostics.append(.error(
                .partitionsDecreased, "partitions went down from \(was) to \(now)", at: new.partitions.location,
                hint: "Kafka cannot shrink a topic; keep \(was)"))
        } else if now > was {
            diagnostics.append(.warning(
                .partitionsIncreased, "partitions went up from \(was) to \(now): keys move to other partitions",
                at: new.partitions.location,
                hint: "per-key order breaks for keys with events in flight; drain the topic or accept it"))
        }
        if !new.compatibility.value.covers(old.compatibility.value) {
            diagnostics.append(.warning(
                .compatibilityWeakened,
                "compatibility weakened from \(old.compatibility.value.rawValue) to \(new.compatibility.value.rawValue)",
                at: new.compatibility.location, hint: "consumers relying on the old guarantee may break on later versions"))
        }
        if Self.isShorter(new.retention.value, than: old.retention.value) {
            diagnostics.append(.warning(
                .retentionShortened, "retention shortened from \(old.retention.value) to \(new.retention.value)",
                at: new.retention.location, hint: "consumers that replay from the log lose what falls out of the window"))
        }
        // Undeclared encodings are compared as JSON, the default (a config file's default is
        // not the contract's to say).
        let (wasEncoding, nowEncoding) = (old.encoding?.value ?? .json, new.encoding?.value ?? .json)
        if wasEncoding != nowEncoding {
            diagnostics.append(.warning(
                .encodingChanged, "the encoding changed from \(wasEncoding.rawValue) to \(nowEncoding.rawValue)",
                at: new.encoding?.location ?? at,
                hint: "consumers read either by content type, but code generated before runtime API 4 reads JSON only: upgrade consumers first"))
        }
        return diagnostics
    }

    static func isShorter(_ new: Retention, than old: Retention) -> Bool {
        switch (new, old) {
        case (.forever, _): false
        case (.duration, .forever): true
        case (.duration(let a), .duration(let b)): a < b
        }
    }
}
