// SwiftPM builds a target only when it has a Swift file of its own: the event types of this
// target are generated at build time from Contracts/, by the EventcGenerate plugin.
