// The broker is used through the transport seam: importing it brings the seam.
@_exported import EventTransport
