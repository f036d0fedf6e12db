import ContractParser
import Dispatch
import Foundation

/// Parses files on every core. Files are independent and parsing is pure, so the only shared
/// state is the result slots, each written by exactly one worker; results keep the files' order,
/// so reports stay deterministic.
public enum ParallelParsing {
    /// Below this, spreading the work costs more than it saves.
    static let minimumFilesPerWorker = 16

    /// Each file parsed, in the order of `files`: on several cores when there are enough files to be worth it.
    public static func parse(_ files: [SourceFile], limits: YAMLLimits = .default) -> [ContractFileParser.Result] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, files.count / minimumFilesPerWorker)
        guard workers > 1 else { return files.map { ContractFileParser.parse($0.bytes, file: $0.path, limits: limits) } }
        let slots = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Strided, so a run of large files does not land on one worker.
            for index in stride(from: worker, to: files.count, by: workers) {
                slots.store(ContractFileParser.parse(files[index].bytes, file: files[index].path, limits: limits), at: index)
            }
        }
        return slots.results()
    }
}

/// One slot per file, in a buffer allocated up front. Each slot is written by one worker, and
/// read only after `concurrentPerform` has returned (which orders every write before the reads),
/// so the unchecked `Sendable` is sound: no two threads touch the same memory.
private final class ResultSlots: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<ContractFileParser.Result?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func store(_ result: ContractFileParser.Result, at index: Int) { buffer[index] = result }

    func results() -> [ContractFileParser.Result] { buffer.compactMap { $0 } }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}
