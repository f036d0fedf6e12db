import ContractChecker
import ContractCodegen
import ContractModel

/// The contract pipeline on arbitrary bytes as a contract file: parse, check (with defaults
/// resolved), print the findings in every format, generate Swift and Avro schemas from what
/// checks clean, and compare against a fixed baseline both ways as `eventc breaking` does. Any
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
            for version in contract.versions { _ = AvroSchemaExporter.schema(of: contract, version: version).rendered() }
        }
    }
    let baseline = SourceFile(path: input.path, bytes: Array(baselineContract.utf8))
    _ = BreakingPipeline(baselineName: "main").run(baseline: [baseline], working: [input])
    _ = BreakingPipeline(baselineName: "main").run(baseline: [input], working: [baseline])
    return 0
}

/// A small contract with each kind of field, to compare fuzzed contracts against.
let baselineContract = """
    contract: 1
    namespace: fuzz
    event: Input
    owner: team-fuzz
    topic: fuzz.input
    partitions: 3
    key: id
    compatibility: backward
    versions:
      - version: 1
        fields:
          id: {type: string}
          amount: {type: decimal, optional: true}
          at: {type: timestamp}
          tags: {type: "list<string>", default: []}
    """
