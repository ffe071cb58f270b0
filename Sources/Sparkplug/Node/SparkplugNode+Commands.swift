import SwiftProtobuf

extension SparkplugNode {
    /// Handles one message received on `subscriptions`: NCMD, DCMD or the primary host's STATE.
    public mutating func received(topic: String, payload: [UInt8], at nowMs: UInt64) -> SparkplugReaction {
        switch SparkplugTopic.classify(topic, for: configuration) {
        case .nodeCommand: return nodeCommand(topic: topic, payload: payload, at: nowMs)
        case .deviceCommand(let device):
            return .refused(
                SparkplugRefusal(
                    topic: topic, device: device, metrics: Self.commandMetricNames(payload),
                    reason: "plantgate never writes to plant devices; device commands are not supported"))
        case .state(let hostID): return hostState(hostID: hostID, payload: payload, at: nowMs)
        case .other: return .ignored("\(topic) is not a command for edge node '\(configuration.edgeNodeID)' nor its primary host's STATE")
        }
    }

    private mutating func nodeCommand(topic: String, payload: [UInt8], at nowMs: UInt64) -> SparkplugReaction {
        guard let command = try? WirePayload(serializedBytes: payload) else {
            return .refused(SparkplugRefusal(topic: topic, device: nil, metrics: [], reason: "the payload is not a Sparkplug B protobuf"))
        }
        let rebirthAlias = nodeTable.aliases[0]
        let isRebirthRequest = { (metric: WireMetric) -> Bool in
            (metric.name == PayloadEncoding.rebirthName || (!metric.hasName && metric.alias == rebirthAlias))
                && metric.booleanValue == true
        }
        let others = command.metrics.filter { !isRebirthRequest($0) }
        guard !command.metrics.isEmpty, others.isEmpty else {
            return .refused(
                SparkplugRefusal(
                    topic: topic, device: nil, metrics: Self.names(command.metrics),
                    reason: "only '\(PayloadEncoding.rebirthName)' = true is accepted; plantgate never writes to plant devices"))
        }
        guard mayPublishBirths else {
            return .ignored("rebirth requested while births are withheld (primary host offline, or the first values not in yet); they follow then")
        }
        return .rebirth(births(at: nowMs))
    }

    private mutating func hostState(hostID: String, payload: [UInt8], at nowMs: UInt64) -> SparkplugReaction {
        guard var host = primaryHost, host.hostID == hostID else {
            return .ignored("STATE of host '\(hostID)', which is not this node's primary host")
        }
        let change = host.apply(payload: payload)
        primaryHost = host
        switch change {
        case .ignored(let reason): return .ignored(reason)
        case .online:
            guard phase == .awaitingHost, valuesReady else { return .hostOnline([]) }
            return .hostOnline(births(at: nowMs))
        case .offline:
            guard phase == .born else { return .ignored("primary host '\(hostID)' is offline; births stay withheld") }
            phase = .disconnected
            return .hostOffline(death: death(at: nowMs))
        }
    }

    private static func commandMetricNames(_ payload: [UInt8]) -> [String] {
        (try? WirePayload(serializedBytes: payload)).map { names($0.metrics) } ?? []
    }

    private static func names(_ metrics: [WireMetric]) -> [String] {
        metrics.map { $0.hasName ? $0.name : "alias \($0.alias)" }
    }
}
