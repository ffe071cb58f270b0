import PlantModel

/// The engine state that must survive a restart: open period accumulators, last counter readings
/// (with both clocks), peaks and seq numbers. Rolling windows are not kept. Codable (NaN stored as null).
public struct EngineSnapshot: Sendable, Hashable, Codable {
    public var version: Int
    public var siteID: String
    /// When the snapshot was taken.
    public var takenAt: Instant
    /// `line|tagPath|unit` per input, so a changed configuration restores what still matches.
    public var inputKeys: [String]
    public var counters: [CounterState]
    /// Current and next span per kind (hour, day, shift, demand block, month from version 2, 15 min from 3).
    public var spans: [PeriodSpan]
    /// `spans.count × inputKeys.count` accumulators, span-major.
    public var totals: [InputTotals]
    public var lineIDs: [String]
    /// `spans.count × lineIDs.count`, span-major; nil where no block qualified.
    public var peaks: [Double?]
    public var peakBlocks: [Int32]
    /// Last seq per kind and line, kind-major.
    public var seqs: [UInt64]
    /// Line-wide reasons (CONFIG) per slot and line, span-major like `peaks`; absent in older snapshots.
    public var lineReasons: [ReasonSet]? = nil
    /// The revision a reload brought in, stamped on records with reason CONFIG.
    public var configRevision: String? = nil
    /// Per line (`lineIDs` order): the CUSUM of savings against its energy baseline; nil where a line has
    /// none. Absent in older snapshots and when no line has a baseline.
    public var baselineCusums: [BaselineCusum?]? = nil
    /// Per line (`lineIDs` order): its electrowinning harvest cycle under way; nil where a line counts no
    /// harvests. Absent in older snapshots and when no line does.
    public var harvests: [HarvestCycle?]? = nil
}

extension EngineSnapshot {
    /// Whether `other` holds the same state, whenever each was taken: storing this one instead would
    /// change nothing. False against nil, and whenever a value is NaN.
    public func holdsSameState(as other: EngineSnapshot?) -> Bool {
        guard var other else { return false }
        other.takenAt = takenAt
        return other == self
    }
}

extension InputTotals {
    enum CodingKeys: String, CodingKey { case sum, estimated, coveredNanos, floor, reasons, rawStart, rawEnd, levelStartNanos, trail }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        sum = try c.decode(Double.self, forKey: .sum)
        estimated = try c.decode(Double.self, forKey: .estimated)
        coveredNanos = try c.decode(Int64.self, forKey: .coveredNanos)
        floor = try c.decode(Quality.self, forKey: .floor)
        reasons = try c.decode(ReasonSet.self, forKey: .reasons)
        rawStart = try c.decodeIfPresent(Double.self, forKey: .rawStart) ?? .nan
        rawEnd = try c.decodeIfPresent(Double.self, forKey: .rawEnd) ?? .nan
        levelStartNanos = try c.decodeIfPresent(Int64.self, forKey: .levelStartNanos) ?? 0
        trail = try c.decodeIfPresent(CounterTrail.self, forKey: .trail) ?? CounterTrail()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sum, forKey: .sum)
        try c.encode(estimated, forKey: .estimated)
        try c.encode(coveredNanos, forKey: .coveredNanos)
        try c.encode(floor, forKey: .floor)
        try c.encode(reasons, forKey: .reasons)
        try c.encodeIfPresent(rawStart.isNaN ? nil : rawStart, forKey: .rawStart)
        try c.encodeIfPresent(rawEnd.isNaN ? nil : rawEnd, forKey: .rawEnd)
        if levelStartNanos != 0 { try c.encode(levelStartNanos, forKey: .levelStartNanos) }
        if !trail.isEmpty { try c.encode(trail, forKey: .trail) }
    }
}

extension CounterState {
    enum CodingKeys: String, CodingKey { case hasLast, last, lastWallNanos, lastMonoNanos, spansRestart, marker }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        hasLast = try c.decode(Bool.self, forKey: .hasLast)
        last = try c.decode(Double.self, forKey: .last)
        lastWallNanos = try c.decode(Int64.self, forKey: .lastWallNanos)
        lastMonoNanos = try c.decode(Int64.self, forKey: .lastMonoNanos)
        spansRestart = try c.decode(Bool.self, forKey: .spansRestart)
        marker = try c.decodeIfPresent(Double.self, forKey: .marker) ?? .nan
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hasLast, forKey: .hasLast)
        try c.encode(last, forKey: .last)
        try c.encode(lastWallNanos, forKey: .lastWallNanos)
        try c.encode(lastMonoNanos, forKey: .lastMonoNanos)
        try c.encode(spansRestart, forKey: .spansRestart)
        try c.encodeIfPresent(marker.isNaN ? nil : marker, forKey: .marker)
    }
}
