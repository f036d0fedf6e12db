import EventTransport

extension EventProcessor {
    /// A registration with its metrics.
    final class Route: Sendable {
        let handler: EventHandlerRegistration
        let metrics: ProcessorMetrics
        /// The event type as a record's `ce_type` header holds it.
        let eventTypeUTF8: [UInt8]

        init(handler: EventHandlerRegistration, metrics: ProcessorMetrics) {
            self.handler = handler
            self.metrics = metrics
            eventTypeUTF8 = Array(handler.eventType.utf8)
        }
    }

    /// The processor's routes, found by a record's `ce_type` bytes: comparing them with a few
    /// known names costs less than making a String per record to look one up.
    struct Routes: Sendable {
        let all: [Route]

        /// One route per event type; a later registration of a type replaces an earlier one.
        init(_ routes: [Route]) {
            var all: [Route] = []
            for route in routes {
                if let index = all.firstIndex(where: { $0.handler.eventType == route.handler.eventType }) {
                    all[index] = route
                } else {
                    all.append(route)
                }
            }
            self.all = all
        }

        /// Where the route for this `ce_type` value is in `all`; nil when no handler takes the type.
        func index(ofType utf8: [UInt8]) -> Int? {
            all.indices.first { all[$0].eventTypeUTF8 == utf8 }
        }

        /// The route for a record without `ce_type` (a Java or Python producer's, through its stock
        /// serializer): the one handler of its topic; nil when none, or several share the topic.
        func index(ofTopic topic: String) -> Int? {
            let matches = all.indices.filter { all[$0].handler.topic == topic }
            return matches.count == 1 ? matches[0] : nil
        }
    }
}
