import ArgumentParser
import EventcCommandLine

/// Operating a running system. Apart from `eventc` because these commands open a broker: the
/// compiler (and the build plugin that runs it) builds no runtime code.
@main
struct EventcOps: EventcRootCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventc-ops",
        abstract: "Operate an event system built on EventContracts: dead-letter topics, payloads, and the durable broker's folder.",
        subcommands: [DeadLetterCommand.self, DecodeCommand.self, BrokerCommand.self]
    )
}
