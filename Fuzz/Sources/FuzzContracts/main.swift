import ContractCatalog
import ContractChecker
import ContractCodegen
import ContractModel

/// The contract pipeline on arbitrary bytes as a contract file: parse, check (with defaults
/// resolved), print the findings in every format, generate Swift, the Avro and JSON Schemas, the
/// AsyncAPI document and the catalog site from what checks clean, and compare against a fixed baseline both ways as `eventc breaking` does. Any
/// crash, hang or sanitizer report is a finding; rejecting the input is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContracts(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = SourceFile(path: "Contracts/fuzz/Input.yaml", bytes: Array(UnsafeRawBufferPointer(start: start, count: count)))
    let report = CheckPipeline().run([input], resolving: true)
    for format in DiagnosticFormat.allCases {
        _ = DiagnosticFormatter.format(report.diagnostics, as: format, sources: report.sources, fileCount: 1)
    }
    if !report.checked.isEmpty {
        _ = try? ContractGenerator().generate(report.checked)
        for contract in report.checked {
            for version in contract.versions {
                _ = AvroSchemaExporter.schema(of: contract, version: version).rendered()
                _ = JSONSchemaExporter.schema(of: contract, version: version).rendered()
            }
        }
        _ = AsyncAPIExporter.document(of: report.checked).renderedYAML()
        _ = CatalogSite.files(for: report.checked)
    }
    let baseline = SourceFile(path: input.path, bytes: Array(baselineContract.utf8))
    _ = BreakingPipeline(baselineName: "main").run(baseline: [baseline], working: [input])
    _ = BreakingPipeline(baselineName: "main").run(baseline: [input], working: [baseline])
    return 0
}

/// A small contract with each kind of field and declared consumers, to compare fuzzed contracts
/// against (the consumers make breaking's findings carry their impact).
let baselineContract = """
    namespace: fuzz
    event: Input
    owner: team-fuzz
    topic: fuzz.input
    partitions: 3
    key: id
    compatibility: BACKWARD
    producers: [fuzz-producer]
    consumers:
      - { service: reader, reads: [id, amount] }
      - everything
    versions:
      - version: 1
        fields:
          id: string
          amount: decimal?
          at: timestamp
          tags: { type: array<string>, default: [] }
    """
