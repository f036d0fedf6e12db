// Produces to a durable in-process broker with acks=all until it is killed; the crash test
// (EventRuntimeTests/BrokerCrashTests) sends SIGKILL at random moments and checks the log.
//
// Usage: BrokerCrashChild DIRECTORY RUN
// Prints READY once recovered, then one line per acknowledged batch:
//   ACK <producerId> <epoch> <partition> <baseSequence> <baseOffset> <value>,<value>,…
import EventBroker
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3, let run = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: BrokerCrashChild DIRECTORY RUN\n".utf8))
    exit(2)
}
let topic = "crash"
let partitions = 3
let broker = try InProcessBroker(.init(storage: .directory(arguments[1])))
if !broker.topicNames().contains(topic) {
    try await broker.createTopic(topic, config: TopicConfig(partitions: partitions, segmentBytes: 4_096))
}
guard let producer = try await broker.makeProducer(ProducerConfig(acks: .all)) as? BrokerProducer else { exit(3) }
FileHandle.standardOutput.write(Data("READY\n".utf8))
var sequences = [Int32](repeating: 0, count: partitions)
var generator = SplitMix64(seed: UInt64(run))
var counter = 0
while true {
    let partition = Int(generator.next() % UInt64(partitions))
    let count = Int(generator.next() % 8) + 1
    let values = (0..<count).map { _ -> String in
        counter += 1
        return "r\(run)-\(counter)"
    }
    let records = values.map {
        OutgoingRecord(topic: topic, key: nil, value: Array($0.utf8), headers: [RecordHeader("run", String(run))], partition: partition)
    }
    let sent = try await producer.send(records)
    // Unbuffered, so the parent sees every acknowledgement made before the kill.
    let line = "ACK \(producer.producerId) \(producer.epoch) \(partition) \(sequences[partition]) \(sent[0].offset) \(values.joined(separator: ","))\n"
    FileHandle.standardOutput.write(Data(line.utf8))
    sequences[partition] += Int32(count)
}
