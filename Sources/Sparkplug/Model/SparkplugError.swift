/// A Sparkplug configuration or usage mistake, with the place and the fix.
public struct SparkplugError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake it is; cases may grow.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable {
            case invalidIdentifier, duplicateDevice, duplicateMetric, reservedMetricName
            case unknownDevice, unknownMetric, valueTypeMismatch, malformedRecord
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// A group, edge node, device or host id that cannot be a topic element.
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// Two devices with the same id.
        public static let duplicateDevice = Code(.duplicateDevice)
        /// Two metrics with the same name in one device (or the node).
        public static let duplicateMetric = Code(.duplicateMetric)
        /// A node metric named like one the edge node publishes itself (`bdSeq`, `Node Control/...`).
        public static let reservedMetricName = Code(.reservedMetricName)
        /// An update or state change for a device that was never declared.
        public static let unknownDevice = Code(.unknownDevice)
        /// An update for a metric its device never declared.
        public static let unknownMetric = Code(.unknownMetric)
        /// A value whose type differs from the metric's declared datatype.
        public static let valueTypeMismatch = Code(.valueTypeMismatch)
        /// Stored bytes that are not a `BacklogRecord`.
        public static let malformedRecord = Code(.malformedRecord)

        public var description: String { "\(kind)" }
    }

    /// The kind of mistake.
    public let code: Code
    /// What is wrong, where, and how to fix it.
    public let message: String

    /// An error with a full explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "Sparkplug: \(message)" }
}
