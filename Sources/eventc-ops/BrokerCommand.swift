import ArgumentParser
import EventBroker
import EventcCommandLine
import Foundation

struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Check a durable broker's folder for damage, and repair it explicitly.",
        discussion: """
            A broker refuses to open a folder whose files are damaged (anything but the torn tail a \
            crash leaves), naming the file and the place. `verify` lists every damaged file without \
            changing anything; `repair` moves each damaged file into <folder>/quarantine/<time>/ and \
            writes back what was intact in it, so the broker opens again.
            """,
        subcommands: [BrokerVerifyCommand.self, BrokerRepairCommand.self]
    )
}

struct BrokerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "List every damaged file in a broker folder; exit 1 if there is one. Writes nothing.")

    @Argument(help: "The durable broker's folder.")
    var brokerDir: String

    func run() throws {
        try BrokerVerifyRun(brokerDirectory: brokerDir).execute().emit()
    }
}

struct BrokerRepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Move damaged files into <folder>/quarantine and keep what was intact in them. Stop the broker first.",
        discussion: """
            Nothing is deleted. A damaged segment's intact records stay in the log at their offsets; \
            the damaged ones are lost to readers (a .gap note beside the segments names them) but \
            kept, with the whole original file, in the quarantine folder.
            """)

    @Argument(help: "The durable broker's folder.")
    var brokerDir: String

    func run() throws {
        try BrokerRepairRun(brokerDirectory: brokerDir, stamp: BrokerRepairRun.stamp(Date())).execute().emit()
    }
}

/// `eventc-ops broker verify` without the process around it.
struct BrokerVerifyRun {
    var brokerDirectory: String

    func execute() -> CommandOutcome {
        do {
            let report = try BrokerFolderCheck.verify(brokerDirectory)
            var lines = report.damage.map { "error: \($0)" } + report.notes.map { "note: \($0)" }
            lines.append(Self.summary(report, brokerDirectory))
            let exitCode = report.isClean ? EventcExit.clean : EventcExit.findings
            return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: "", exitCode: exitCode)
        } catch {
            return .usageOrIOError("\(error)", tool: "eventc-ops")
        }
    }

    static func summary(_ report: BrokerFolderReport, _ directory: String) -> String {
        let damage = report.isClean ? "no damage" : "\(report.damage.count) damaged file\(report.damage.count == 1 ? "" : "s")"
        return "\(directory): \(report.topics) topic\(report.topics == 1 ? "" : "s"), \(report.partitions) partition\(report.partitions == 1 ? "" : "s"), "
            + "\(report.records) readable record\(report.records == 1 ? "" : "s"), \(damage)"
    }
}

/// `eventc-ops broker repair` without the process around it.
struct BrokerRepairRun {
    var brokerDirectory: String
    var stamp: String

    /// A quarantine folder name that sorts by time and is safe on every file system.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    func execute() -> CommandOutcome {
        do {
            let actions = try BrokerFolderRepair.repair(brokerDirectory, stamp: stamp)
            let report = try BrokerFolderCheck.verify(brokerDirectory)
            var lines = actions.isEmpty ? ["nothing to repair"] : actions
            lines += report.damage.map { "error: still damaged: \($0)" } + report.notes.map { "note: \($0)" }
            lines.append(BrokerVerifyRun.summary(report, brokerDirectory))
            let exitCode = report.isClean ? EventcExit.clean : EventcExit.findings
            return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: "", exitCode: exitCode)
        } catch {
            return .usageOrIOError("\(error)", tool: "eventc-ops")
        }
    }
}
