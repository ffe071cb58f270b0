/// The Sparkplug message types an edge node publishes or receives.
public enum SparkplugMessageType: String, Sendable, Hashable, CaseIterable {
    /// Edge node birth certificate.
    case nodeBirth = "NBIRTH"
    /// Edge node death certificate (the MQTT will).
    case nodeDeath = "NDEATH"
    /// Edge node data.
    case nodeData = "NDATA"
    /// Edge node command (from a host).
    case nodeCommand = "NCMD"
    /// Device birth certificate.
    case deviceBirth = "DBIRTH"
    /// Device death certificate.
    case deviceDeath = "DDEATH"
    /// Device data.
    case deviceData = "DDATA"
    /// Device command (from a host); always refused by plantgate.
    case deviceCommand = "DCMD"
}

/// One MQTT publication the edge node wants sent: topic, encoded Sparkplug B payload, QoS and retain.
public struct SparkplugMessage: Sendable, Hashable, CustomStringConvertible {
    /// What the message is (NBIRTH, DDATA...).
    public let type: SparkplugMessageType
    /// Full topic, e.g. `spBv1.0/site-a/DDATA/plantgate-1/meter-3`.
    public let topic: String
    /// The protobuf-encoded `org.eclipse.tahu.protobuf.Payload`.
    public let payload: [UInt8]
    /// MQTT QoS: 1 for the NDEATH will, 0 for everything else, as the specification requires.
    public let qos: Int
    /// MQTT retain flag: never set for Sparkplug edge node messages.
    public let retain: Bool
    /// The payload's `seq` (0-255); `nil` for NDEATH, which carries none.
    public let seq: UInt8?

    /// A message ready to publish.
    public init(type: SparkplugMessageType, topic: String, payload: [UInt8], qos: Int, retain: Bool, seq: UInt8?) {
        self.type = type
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.seq = seq
    }

    public var description: String {
        "\(type.rawValue) \(topic) (\(payload.count) bytes, seq \(seq.map(String.init) ?? "none"), QoS \(qos))"
    }
}
