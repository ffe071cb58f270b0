/// The metrics of one birth owner (the edge node or one device): definitions, aliases and values.
///
/// Aliases are fixed when the table is made, so they are the same in every birth of this process.
struct MetricTable: Sendable {
    /// "edge node" or "device 'meter-3'", for error messages.
    let owner: String
    let definitions: [SparkplugMetricDefinition]
    let aliases: [UInt64]
    private let firstAlias: UInt64
    private let indexByName: [String: Int]
    /// Newest live value of each metric (what the next birth carries).
    private(set) var current: [MetricReading?]
    /// What the host last received live for each metric since the last birth.
    private(set) var published: [MetricReading?]

    init(owner: String, definitions: [SparkplugMetricDefinition], firstAlias: UInt64) throws(SparkplugError) {
        var indexByName: [String: Int] = [:]
        for (index, definition) in definitions.enumerated() {
            guard indexByName.updateValue(index, forKey: definition.name) == nil else {
                throw SparkplugError(
                    .duplicateMetric,
                    "\(owner) declares metric '\(definition.name)' twice; give each metric a unique name")
            }
        }
        self.owner = owner
        self.definitions = definitions
        self.firstAlias = firstAlias
        self.aliases = definitions.indices.map { firstAlias + UInt64($0) }
        self.indexByName = indexByName
        self.current = Array(repeating: nil, count: definitions.count)
        self.published = Array(repeating: nil, count: definitions.count)
    }

    /// The first alias after this table's.
    var nextAlias: UInt64 { firstAlias + UInt64(definitions.count) }

    /// The metric index that `alias` stands for, or nil.
    func index(ofAlias alias: UInt64) -> Int? { aliases.firstIndex(of: alias) }

    /// The metric index of `name`, or nil.
    func index(ofName name: String) -> Int? { indexByName[name] }

    /// Validates an update against the definitions and returns the metric's index and the reading.
    func reading(for update: SparkplugValueUpdate) throws(SparkplugError) -> (index: Int, reading: MetricReading) {
        guard let index = indexByName[update.metric] else {
            throw SparkplugError(
                .unknownMetric,
                "\(owner) has no metric '\(update.metric)'; declare it in the device definition (a new metric needs a new birth)")
        }
        let expected = definitions[index].dataType
        if let value = update.value, value.dataType != expected {
            throw SparkplugError(
                .valueTypeMismatch,
                "\(owner) metric '\(update.metric)' is declared \(expected) but got the \(value.dataType) value \(value); "
                    + "convert the value or change the declared datatype")
        }
        return (index, MetricReading(value: update.value?.publishable, quality: update.quality, timestampMs: update.timestampMs))
    }

    /// Stores a live reading as current; returns whether the host must be told (it differs from what it has).
    mutating func store(_ reading: MetricReading, at index: Int) -> Bool {
        current[index] = reading
        guard let known = published[index] else { return true }
        return reading.differs(from: known)
    }

    /// Stores a reading the host cannot be told now; returns whether it differs from the previous
    /// current value (a change worth replaying later).
    mutating func keep(_ reading: MetricReading, at index: Int) -> Bool {
        defer { current[index] = reading }
        guard let previous = current[index] else { return true }
        return reading.differs(from: previous)
    }

    /// Records that the host has received `reading` for the metric at `index`.
    mutating func markPublished(_ reading: MetricReading, at index: Int) {
        published[index] = reading
    }

    /// After a birth the host knows exactly the current values.
    mutating func markBorn() {
        published = current
    }
}
