extension SparkplugNode {
    /// What became of one batch of device values offered with `deviceDataOrKeep`.
    public struct Offer: Sendable {
        /// Live messages to publish now (a DDATA), possibly empty.
        public var messages: [SparkplugMessage] = []
        /// Changed values the host has not seen and cannot see now: store them, replay them later with
        /// `historicalDeviceData` after the births.
        public var kept: [SparkplugValueUpdate] = []
    }

    /// New values of one device, store-and-forward style: published live as `deviceData` when the node
    /// is born and no stored data waits; otherwise (disconnected, primary host offline, backlog still
    /// replaying) stored as current for the next birth and the changes since the previous values
    /// returned as `kept`. Values of a device that is down, and values before the first births
    /// (`waitsForValues`), are never kept: the next (D)BIRTH carries them.
    /// - Throws: `SparkplugError` for an unknown device or metric, or a value of the wrong type.
    public mutating func deviceDataOrKeep(
        _ deviceID: String, _ updates: [SparkplugValueUpdate], at nowMs: UInt64
    ) throws(SparkplugError) -> Offer {
        let index = try deviceIndex(deviceID)
        guard valuesReady, deviceOnline[index], !isBorn || holdsBacklog else {
            return Offer(messages: try deviceData(deviceID, updates, at: nowMs))
        }
        var readings: [(index: Int, reading: MetricReading)] = []
        for update in updates { readings.append(try deviceTables[index].reading(for: update)) }
        var offer = Offer()
        for (position, reading) in readings.enumerated() {
            if deviceTables[index].keep(reading.reading, at: reading.index) { offer.kept.append(updates[position]) }
        }
        if !offer.kept.isEmpty { holdsBacklog = true }
        return offer
    }

    /// Stored data exists (a backlog from an earlier run, or values whose live message could not be
    /// sent): live data waits behind it until `backlogReplayed`.
    public mutating func holdBacklog() { holdsBacklog = true }

    /// Every stored value has been replayed: live data flows again.
    public mutating func backlogReplayed() { holdsBacklog = false }
}
