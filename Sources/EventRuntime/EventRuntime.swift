// The umbrella most services import: the core generated code runs on, the transport seam, the
// in-process broker and the event processor. A service that wants less (generated types and the
// Kafka transport, without the in-process broker) imports the finer modules instead.
@_exported import EventBroker
@_exported import EventCore
@_exported import EventProcessing
@_exported import EventTransport
