// Records, configs and the publisher speak in the core's types (events, policies): importing the
// seam brings them, as NIOPosix brings NIOCore.
@_exported import EventCore
