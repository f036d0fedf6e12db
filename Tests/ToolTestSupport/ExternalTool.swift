import Foundation

/// Independent implementations the tests check against (Apache Avro, Python's `jsonschema`, an
/// AsyncAPI parser, Chromium, kcat): where to find them, and how to run one (or any program).
public enum ExternalTool {
    /// The project's Python (`.venv/bin/python`, which `.ci/run` fills) when it can import every
    /// module in `modules`; `environment` names a variable that may point at another Python.
    public static func python(importing modules: [String], environment: String? = nil) -> String? {
        let candidates: [String?] = [
            environment.flatMap { ProcessInfo.processInfo.environment[$0] },
            repositoryRoot.appendingPathComponent(".venv/bin/python").path,
        ]
        return candidates.compactMap { $0 }.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            return (try? run(path, ["-c", modules.map { "import \($0)" }.joined(separator: "; ")])) != nil
        }
    }

    /// The first of `names` found on the PATH.
    public static func executable(named names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// A program that exited with a status other than 0.
    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var status: Int32
        public var standardError: String
        public var description: String { "\(command) exited with \(status): \(standardError)" }
    }

    /// What a program left when it ended: its exit status, standard output and standard error.
    public struct Outcome: Sendable {
        public var command: String
        public var status: Int32
        public var output: Data
        public var errors: String

        /// Standard output and error, or `Failure` when the exit status is not 0.
        public func succeeded() throws(Failure) -> (output: Data, errors: String) {
            guard status == 0 else { throw Failure(command: command, status: status, standardError: errors) }
            return (output, errors)
        }
    }

    /// Runs `executable` with `input` on standard input (written while the output is read, so a
    /// large input cannot deadlock on a full pipe); returns standard output, or throws with
    /// standard error when the exit status is not 0.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data(),
                           currentDirectory: URL? = nil) throws -> Data {
        try outcomeBlocking(executable, arguments, input: input, currentDirectory: currentDirectory).succeeded().output
    }

    /// `run` from async code: the program is waited for on a thread of its own (see `outcome`).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data(),
                           currentDirectory: URL? = nil) async throws -> Data {
        try await outcome(of: executable, arguments, input: input, currentDirectory: currentDirectory).succeeded().output
    }

    /// `run`, also returning what the program wrote to standard error.
    public static func runCapturingErrors(_ executable: String, _ arguments: [String], input: Data = Data(),
                                          currentDirectory: URL? = nil) throws -> (output: Data, errors: String) {
        try outcomeBlocking(executable, arguments, input: input, currentDirectory: currentDirectory).succeeded()
    }

    /// `runCapturingErrors` from async code: the program is waited for on a thread of its own.
    public static func runCapturingErrors(_ executable: String, _ arguments: [String], input: Data = Data(),
                                          currentDirectory: URL? = nil) async throws -> (output: Data, errors: String) {
        try await outcome(of: executable, arguments, input: input, currentDirectory: currentDirectory).succeeded()
    }

    /// Runs `executable` to its end and returns what it left, whatever its exit status.
    ///
    /// Waiting for a program blocks a thread, and an async test runs on Swift's cooperative pool:
    /// one thread per core, two on CI. The shop demo's test once waited there for 40 s while kcat's
    /// waited too, which left no thread for the rest of the process: a Kafka processor's rebalance
    /// listener (a task librdkafka's callback waits for) could not run, its group stalled for a
    /// minute and the rebalance test failed. So the waiting happens on a thread of its own.
    public static func outcome(of executable: String, _ arguments: [String], input: Data = Data(),
                               currentDirectory: URL? = nil) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try outcomeBlocking(executable, arguments, input: input, currentDirectory: currentDirectory) })
            }.start()
        }
    }

    /// Runs the program, blocking the calling thread until it ends.
    private static func outcomeBlocking(_ executable: String, _ arguments: [String], input: Data,
                                        currentDirectory: URL?) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = stdin.fileHandleForWriting
        let writing = Thread {
            writer.write(input)
            try? writer.close()
        }
        writing.start()
        let errors = ErrorCollector(stderr.fileHandleForReading)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus, output: data,
            errors: errors.text())
    }

    /// Reads a pipe to its end on its own thread.
    private final class ErrorCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread { [self] in
                let read = handle.readDataToEndOfFile()
                lock.withLock { data = read }
                done.signal()
            }.start()
        }

        func text() -> String {
            done.wait()
            return lock.withLock { String(decoding: data, as: UTF8.self) }
        }
    }
}
