extension SparkplugNode {
    /// New values of node metrics (gateway figures). Returns one NDATA with the changed ones (alias
    /// only), or nothing if none changed or the node is not born; values are kept for the next birth.
    /// - Throws: `SparkplugError` for an unknown metric or a value of the wrong type (nothing is stored).
    public mutating func nodeData(_ updates: [SparkplugValueUpdate], at nowMs: UInt64) throws(SparkplugError) -> [SparkplugMessage] {
        let metrics = try Self.liveMetrics(updates, table: &nodeTable, publishing: isBorn)
        guard !metrics.isEmpty else { return [] }
        return [nodeMessage(.nodeData, metrics: metrics, at: nowMs)]
    }

    /// New values of one device's metrics. Returns one DDATA with the changed ones (alias only, the
    /// `Quality` property when the quality changed), or nothing if none changed, the node is not born
    /// or the device is down; values are kept for the next DBIRTH.
    /// - Throws: `SparkplugError` for an unknown device or metric, or a value of the wrong type.
    public mutating func deviceData(
        _ deviceID: String, _ updates: [SparkplugValueUpdate], at nowMs: UInt64
    ) throws(SparkplugError) -> [SparkplugMessage] {
        let index = try deviceIndex(deviceID)
        let metrics = try Self.liveMetrics(updates, table: &deviceTables[index], publishing: isBorn && deviceOnline[index])
        guard !metrics.isEmpty else { return [] }
        return [deviceMessage(.deviceData, device: index, metrics: metrics, at: nowMs)]
    }

    /// Values replayed after an outage: one DDATA with every update flagged `is_historical`, so the
    /// host stores them without moving its live value. The current values are not changed. Returns
    /// nothing while the node is not born or the device is down (keep them and replay later).
    public mutating func historicalDeviceData(
        _ deviceID: String, _ updates: [SparkplugValueUpdate], at nowMs: UInt64
    ) throws(SparkplugError) -> [SparkplugMessage] {
        let index = try deviceIndex(deviceID)
        let table = deviceTables[index]
        var metrics: [WireMetric] = []
        for update in updates {
            let (metric, reading) = try table.reading(for: update)
            metrics.append(PayloadEncoding.dataMetric(alias: table.aliases[metric], reading: reading, withQuality: true, historical: true))
        }
        guard isBorn, deviceOnline[index], !metrics.isEmpty else { return [] }
        return [deviceMessage(.deviceData, device: index, metrics: metrics, at: nowMs)]
    }

    /// The device went down (meter unreachable): returns its DDEATH if the host had seen it alive.
    public mutating func deviceDown(_ deviceID: String, at nowMs: UInt64) throws(SparkplugError) -> [SparkplugMessage] {
        let index = try deviceIndex(deviceID)
        guard deviceOnline[index] else { return [] }
        deviceOnline[index] = false
        guard isBorn else { return [] }
        return [deviceMessage(.deviceDeath, device: index, metrics: [], at: nowMs)]
    }

    /// The device is back: returns a fresh DBIRTH with its current values if the node is born.
    public mutating func deviceUp(_ deviceID: String, at nowMs: UInt64) throws(SparkplugError) -> [SparkplugMessage] {
        let index = try deviceIndex(deviceID)
        guard !deviceOnline[index] else { return [] }
        deviceOnline[index] = true
        guard isBorn else { return [] }
        return [deviceBirth(index, at: nowMs)]
    }

    /// Whether the device is currently up (born with the node, or not yet declared down).
    public func isDeviceOnline(_ deviceID: String) -> Bool {
        deviceIDs.firstIndex(of: deviceID).map { deviceOnline[$0] } ?? false
    }

    func deviceIndex(_ deviceID: String) throws(SparkplugError) -> Int {
        guard let index = deviceIDs.firstIndex(of: deviceID) else {
            throw SparkplugError(
                .unknownDevice,
                "device '\(deviceID)' is not declared on edge node '\(configuration.edgeNodeID)'; "
                    + "known devices: \(deviceIDs.joined(separator: ", "))")
        }
        return index
    }

    /// Validates every update first (all or nothing), stores them, and returns the data metrics the
    /// host needs when `publishing`. The quality property travels only when the quality changed.
    private static func liveMetrics(
        _ updates: [SparkplugValueUpdate], table: inout MetricTable, publishing: Bool
    ) throws(SparkplugError) -> [WireMetric] {
        var readings: [(index: Int, reading: MetricReading)] = []
        for update in updates { readings.append(try table.reading(for: update)) }
        var metrics: [WireMetric] = []
        for (index, reading) in readings {
            let previous = table.published[index]
            guard table.store(reading, at: index), publishing else { continue }
            table.markPublished(reading, at: index)
            metrics.append(
                PayloadEncoding.dataMetric(
                    alias: table.aliases[index], reading: reading,
                    withQuality: previous?.quality != reading.quality, historical: false))
        }
        return metrics
    }
}
