import ContractModel
import ContractParser
import EventCore
import Testing

@Suite("Contract decoder")
struct ContractDecoderTests {
    private func parse(_ text: String, file: String = "Contracts/payments/PaymentCompleted.yaml")
        -> ContractFileParser.Result
    {
        ContractFileParser.parse(text, file: file)
    }

    private static let full = """
        event: PaymentCompleted
        namespace: payments
        owner: payments-team
        summary: A payment was captured.
        topic: payments.payment-completed
        partitions: 12
        key: orderId
        compatibility: FULL_TRANSITIVE
        retention: 30d
        delivery:
          acks: leader
          idempotency: natural-key
          retry: { attempts: 7, backoff: fixed, initial: 250ms, multiplier: 1.5, max: 1m }
          dlq: { topic: payments.dead, on: [deserialization, exhausted] }
        types:
          Money:  { kind: record, doc: An amount., fields: { amount: decimal, currency: { type: string, default: KRW } } }
          Method: { kind: enum, symbols: [card, transfer, points], default: card }
        versions:
          - version: 1
            fields:
              orderId: string
              total: Money
          - version: 2
            types:
              Method: { kind: enum, symbols: [card, transfer, points, wallet], default: card }
            fields:
              orderId: string
              total: Money
              method: { type: Method, default: card, doc: How it was paid., aliases: [paymentMethod], deprecated: false }
              lines: array<Money>?
              tags: map<array<string>>
              note: string?

        """

    @Test("every key of contract language v1 reaches the IR")
    func decodesEveryKey() throws {
        let result = parse(Self.full)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let contract = try #require(result.contract)
        #expect(contract.event?.value == "PaymentCompleted")
        #expect(contract.namespace.value == "payments")
        #expect(contract.owner?.value == "payments-team")
        #expect(contract.summary?.value == "A payment was captured.")
        #expect(contract.topic?.value == "payments.payment-completed")
        #expect(contract.partitions.value == 12)
        #expect(contract.key?.value == .field("orderId"))
        #expect(contract.compatibility.value == .fullTransitive)
        #expect(contract.retention.value == .duration(TimeSpan(milliseconds: 30 * 86_400_000)))
        let delivery = contract.delivery
        #expect(delivery.acks.value == .leader)
        #expect(delivery.idempotency.value == .naturalKey)
        #expect(delivery.retry.attempts.value == 7)
        #expect(delivery.retry.backoff.value == .fixed)
        #expect(delivery.retry.initial.value == TimeSpan(milliseconds: 250))
        #expect(delivery.retry.multiplier.value == 1.5)
        #expect(delivery.retry.max.value == TimeSpan(milliseconds: 60_000))
        #expect(delivery.dlq.topic?.value == "payments.dead")
        #expect(delivery.dlq.on.value == [.deserialization, .exhausted])
    }

    @Test("shared and per-version types, both field forms and nested type expressions")
    func decodesTypesAndFields() throws {
        let contract = try #require(parse(Self.full).contract)
        #expect(contract.types.map(\.name.value) == ["Money", "Method"])
        #expect(contract.types[0].doc == "An amount.")
        let money = contract.types[0].fields
        #expect(money.map(\.name) == ["amount", "currency"])
        #expect(money[1].defaultValue?.content == .scalar("KRW", plain: true))
        guard case .enumeration(let symbols, let defaultSymbol) = contract.types[1].kind else {
            Issue.record("Method is not an enum")
            return
        }
        #expect(symbols.map(\.value) == ["card", "transfer", "points"])
        #expect(defaultSymbol?.value == "card")

        #expect(contract.versions.map(\.number.value) == [1, 2])
        let v2 = contract.versions[1]
        #expect(v2.types.map(\.name.value) == ["Method"])
        #expect(contract.typeScope(for: v2)["Method"]?.name.location.line == 25, "the version's own type shadows")
        let method = try #require(v2.field(named: "method"))
        #expect(method.type == .named("Method"))
        #expect(method.doc == "How it was paid.")
        #expect(method.aliases.map(\.value) == ["paymentMethod"])
        #expect(method.deprecated == false)
        #expect(v2.field(named: "lines")?.type == .optional(.array(.named("Money"))))
        #expect(v2.field(named: "tags")?.type == .map(.array(.primitive(.string))))
        #expect(v2.field(named: "note")?.hasDefault == true, "optional fields default to null")
        #expect(v2.fields.map(\.name) == ["orderId", "total", "method", "lines", "tags", "note"], "file order kept")
    }

    @Test("defaults: namespace from the folder, partitions 6, BACKWARD, 7d, the delivery block's defaults")
    func appliesDefaults() throws {
        let text = """
            event: DeliveryStarted
            owner: delivery-team
            topic: delivery.started
            key: none
            versions:
              - version: 1
                fields: { orderId: string }

            """
        let contract = try #require(parse(text, file: "Contracts/delivery/DeliveryStarted.yaml").contract)
        #expect(contract.namespace.value == "delivery")
        #expect(contract.partitions.value == 6)
        #expect(contract.compatibility.value == .backward)
        #expect(contract.retention.value == .duration(TimeSpan(milliseconds: 7 * 86_400_000)))
        #expect(contract.key?.value == PartitionKey.none)
        #expect(contract.delivery.acks.value == .all)
        #expect(contract.delivery.idempotency.value == .inbox)
        #expect(contract.delivery.retry.attempts.value == 5)
        #expect(contract.delivery.retry.backoff.value == .exponential)
        #expect(contract.delivery.dlq.topic == nil)
        #expect(contract.delivery.dlq.resolvedTopic(for: "delivery.started") == "delivery.started.dlq")
        #expect(contract.delivery.dlq.on.value == DeliveryPolicy.DeadLetterReason.allCases)
        #expect(contract.summary == nil)
    }

    @Test("retention accepts forever and refuses zero")
    func retentionForms() throws {
        let base = "event: A\nowner: o\ntopic: t\nkey: id\nversions: [{ version: 1, fields: { id: string } }]\n"
        #expect(parse(base + "retention: forever\n").contract?.retention.value == .forever)
        #expect(parse(base + "retention: 0d\n").diagnostics.map(\.rule) == [.invalidDuration])
    }

    @Test("unknown keys get a did-you-mean hint")
    func unknownKeyHint() {
        let result = parse("event: A\nowner: o\ntopic: t\nkey: id\nsumary: x\nversions: [{ version: 1, fields: { id: string } }]\n")
        #expect(result.diagnostics.map(\.rule) == [.unknownKey])
        #expect(result.diagnostics.first?.hint == "did you mean 'summary'?")
        #expect(result.diagnostics.first?.location.line == 5)
    }

    @Test("every missing required key is reported, not only the first")
    func reportsEveryMissingKey() {
        let result = parse("summary: nothing else\n")
        let messages = result.diagnostics.filter { $0.rule == .missingRequired }.map(\.message)
        for key in ["event", "owner", "topic", "key", "versions"] {
            #expect(messages.contains { $0.contains("'\(key)'") }, "\(key) not reported")
        }
    }

    @Test("an empty file and a non-mapping document are wrong shapes")
    func wrongDocumentShapes() {
        #expect(parse("").diagnostics.map(\.rule) == [.wrongShape])
        #expect(parse("- a\n- b\n").diagnostics.map(\.rule) == [.wrongShape])
        #expect(parse("just a scalar\n").diagnostics.map(\.rule) == [.wrongShape])
    }

    @Test("booleans are true or false; YAML 1.1 spellings get a hint", arguments: [
        ("NO", "write 'false'"), ("yes", "write 'true'"), ("Off", "write 'false'"), ("True", "write 'true'"),
    ])
    func yaml11BooleansAreRefused(spelling: String, hint: String) {
        let text = "event: A\nowner: o\ntopic: t\nkey: id\nversions:\n  - version: 1\n    fields:\n      id: string\n"
            + "      old: { type: string?, deprecated: \(spelling), doc: gone }\n"
        let result = parse(text)
        #expect(result.diagnostics.map(\.rule) == [.invalidValue])
        #expect(result.diagnostics.first?.hint?.hasPrefix(hint) == true)
    }

    @Test("numbers are plain: a quoted number is refused with a hint")
    func quotedNumbersAreRefused() {
        let result = parse("event: A\nowner: o\ntopic: t\nkey: id\npartitions: \"12\"\nversions: [{ version: 1, fields: { id: string } }]\n")
        #expect(result.diagnostics.map(\.rule) == [.invalidValue])
        #expect(result.diagnostics.first?.hint == "remove the quotes")
    }

    @Test("an integer with leading zeros is refused (YAML 1.1 would read it as octal), with what to write")
    func leadingZerosAreRefused() {
        let result = parse("event: A\nowner: o\ntopic: t\nkey: id\npartitions: 012\nversions: [{ version: 1, fields: { id: string } }]\n")
        #expect(result.diagnostics.map(\.rule) == [.invalidValue])
        #expect(result.diagnostics.first?.message == "'partitions' must be an integer, found '012'")
        #expect(result.diagnostics.first?.hint == "write 12: a number with leading zeros is not a JSON number")
        #expect(result.diagnostics.first.map { "\($0.location.line):\($0.location.column)" } == "5:13")
    }

    @Test("strings are strings whatever they look like")
    func stringsAreNotGuessed() throws {
        let contract = try #require(parse("event: A\nowner: no\ntopic: 2024\nkey: id\nversions: [{ version: 1, fields: { id: string } }]\n").contract)
        #expect(contract.owner?.value == "no")
        #expect(contract.topic?.value == "2024")
    }

    @Test("enum-valued keys suggest the right spelling", arguments: [
        ("compatibility: backward", "did you mean 'BACKWARD'?"),
        ("delivery: { acks: al }", "did you mean 'all'?"),
        ("delivery: { idempotency: natural_key }", "did you mean 'natural-key'?"),
    ])
    func choiceHints(line: String, hint: String) {
        let result = parse("event: A\nowner: o\ntopic: t\nkey: id\n\(line)\nversions: [{ version: 1, fields: { id: string } }]\n")
        #expect(result.diagnostics.map(\.rule) == [.invalidValue])
        #expect(result.diagnostics.first?.hint == hint)
    }

    @Test("duplicates in fields and types get their own rule and name both places")
    func duplicatesNameBothLocations() {
        let text = "event: A\nowner: o\ntopic: t\nkey: id\nversions:\n  - version: 1\n    fields:\n      id: string\n      id: long\n"
        let result = parse(text)
        #expect(result.diagnostics.map(\.rule) == [.duplicateField])
        #expect(result.diagnostics.first?.location.line == 9)
        #expect(result.diagnostics.first?.message.contains("first at 8:7") == true)
        #expect(result.contract?.versions.first?.fields.count == 1, "the first declaration is kept")
    }

    @Test("record and enum keys are checked per kind")
    func namedTypeKeysPerKind() {
        let text = """
            event: A
            owner: o
            topic: t
            key: id
            types:
              R: { kind: record, symbols: [a] }
              E: { kind: enum, fields: { a: int } }
              K: { kind: struct, fields: {} }
              N: { fields: {} }
              S: string
            versions: [{ version: 1, fields: { id: string } }]

            """
        let rules = parse(text).diagnostics.map { "\($0.location.line) \($0.rule)" }
        #expect(rules.contains("6 UNKNOWN_KEY") && rules.contains("6 MISSING_REQUIRED"))
        #expect(rules.contains("7 UNKNOWN_KEY") && rules.contains("7 MISSING_REQUIRED"))
        #expect(rules.contains("8 INVALID_VALUE"))
        #expect(rules.contains("9 MISSING_REQUIRED"))
        #expect(rules.contains("10 WRONG_SHAPE"))
    }

    @Test("a field without a type, and type expressions that cannot be read, are located")
    func fieldTypeErrors() {
        let text = "event: A\nowner: o\ntopic: t\nkey: id\nversions:\n  - version: 1\n    fields:\n      id: string\n      a:\n      b: { doc: x }\n      c: \"map<\"\n"
        let found = parse(text).diagnostics.map { "\($0.location.line):\($0.location.column) \($0.rule)" }
        #expect(found == ["9:9 MISSING_REQUIRED", "10:10 MISSING_REQUIRED", "11:15 INVALID_TYPE"])
    }

    @Test("a hostile document reports every problem in one pass")
    func reportsEverythingInOnePass() {
        let text = "event: 1\nowner: [x]\ntopic: t\nkey: id\npartitions: many\ncompatibility: SOME\nretention: soon\nversions: { a: 1 }\n"
        let rules = parse(text).diagnostics.map(\.rule)
        #expect(rules == [.wrongShape, .invalidValue, .invalidValue, .invalidDuration, .wrongShape])
    }
}
