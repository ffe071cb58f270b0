/// One row of the plant's tag table: everything the poller, decoder and publisher need about a tag.
///
/// A plant holds one per tag for its whole life (15,000 rows on a large one), so the stored properties are
/// ordered to leave little padding: 200 bytes a row rather than 256.
public struct TagDefinition: Sendable, Hashable {
    public var register: RegisterAddress
    public var decode: DecodeSpec
    public var interval: Duration
    /// Wrap value in the tag's unit, for counters.
    public var modulus: Double?
    public var kind: TagKind
    /// Largest plausible rate in the tag's unit per hour, when configured.
    public var maxRatePerHour: Double?
    public var index: TagIndex
    public var device: String
    public var name: String
    /// `device/tag`.
    public var path: String
    /// Engineering unit after scale (`"1"` for dimensionless).
    public var unit: String
    /// Last MQTT topic level (the tag name unless `topic:` says otherwise).
    public var topicLevel: String
    /// Tag name (same device) whose change marks a counter reset.
    public var resetMarker: String?

    public init(index: TagIndex, device: String, name: String, register: RegisterAddress, decode: DecodeSpec, unit: String,
                kind: TagKind, interval: Duration, topicLevel: String, modulus: Double? = nil, maxRatePerHour: Double? = nil,
                resetMarker: String? = nil) {
        self.index = index
        self.device = device
        self.name = name
        self.path = "\(device)/\(name)"
        self.register = register
        self.decode = decode
        self.unit = unit
        self.kind = kind
        self.interval = interval
        self.topicLevel = topicLevel
        self.modulus = modulus
        self.maxRatePerHour = maxRatePerHour
        self.resetMarker = resetMarker
    }
}
