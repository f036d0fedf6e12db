#if !Kafka
// Built without the package's `Kafka` trait, this module is empty but for these names, so code
// that uses them is told what to do instead of "cannot find 'KafkaTransport' in scope".

/// Needs the package's `Kafka` trait: this module was built without it.
@available(*, unavailable, message: "KafkaTransport needs the EventContracts package's Kafka trait (and librdkafka-dev): .package(url: …, .upToNextMinor(from: …), traits: [\"Kafka\"]), or swift build --traits Kafka")
public struct KafkaTransport {}

/// Needs the package's `Kafka` trait: this module was built without it.
@available(*, unavailable, message: "KafkaConfiguration needs the EventContracts package's Kafka trait (and librdkafka-dev): .package(url: …, .upToNextMinor(from: …), traits: [\"Kafka\"]), or swift build --traits Kafka")
public struct KafkaConfiguration {}
#endif
