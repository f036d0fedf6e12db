// Handlers, contexts and the processor speak in the seam's and the core's types.
@_exported import EventTransport
