/// The level → volume table of a pond or tank (its "strapping table"): linear between points.
///
/// Levels strictly increase and volumes never decrease. Outside the table the volume is held at the
/// nearest end and the lookup says so, because extrapolating a pond's shape is a guess.
public struct StrappingTable: Sendable, Hashable {
    /// Levels in m, strictly increasing; at least two.
    public let levels: [Double]
    /// Stored volume in m3 at each level, never decreasing.
    public let volumes: [Double]

    /// Why a table cannot be used, for the configuration error message.
    public struct Problem: Error, Sendable, Hashable {
        /// Index of the offending pair, nil for the table as a whole.
        public var index: Int?
        public var message: String
    }

    /// Checks `points` (`[level m, volume m3]`) and builds the table.
    public static func make(_ points: [(level: Double, volume: Double)]) -> Result<StrappingTable, Problem> {
        guard points.count >= 2 else {
            return .failure(Problem(index: nil, message: "a strapping table needs at least two [level, volume_m3] pairs, e.g. [[0, 0], [2.5, 4800]]"))
        }
        for (i, p) in points.enumerated() {
            guard p.level.isFinite, p.volume.isFinite, p.volume >= 0 else {
                return .failure(Problem(index: i, message: "pair \(i) must be two finite numbers with volume ≥ 0"))
            }
            guard i > 0 else { continue }
            if p.level <= points[i - 1].level {
                return .failure(Problem(index: i, message: "levels must strictly increase: pair \(i) has level \(p.level) after \(points[i - 1].level); sort the table or remove the duplicate"))
            }
            if p.volume < points[i - 1].volume {
                return .failure(Problem(index: i, message: "volume falls from \(points[i - 1].volume) to \(p.volume) m3 at pair \(i); a higher level never holds less water"))
            }
        }
        return .success(StrappingTable(levels: points.map(\.level), volumes: points.map(\.volume)))
    }

    private init(levels: [Double], volumes: [Double]) {
        self.levels = levels
        self.volumes = volumes
    }

    /// The stored volume (m3) at `level` (m), and whether the level lay outside the table (then clamped).
    public func volume(atLevel level: Double) -> (volume: Double, outside: Bool) {
        guard let first = levels.first, let last = levels.last, level.isFinite else { return (.nan, true) }
        if level < first { return (volumes[0], true) }
        if level > last { return (volumes[volumes.count - 1], true) }
        var lo = 0, hi = levels.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if levels[mid] <= level { lo = mid } else { hi = mid }
        }
        let share = (level - levels[lo]) / (levels[hi] - levels[lo])
        return (volumes[lo] + share * (volumes[hi] - volumes[lo]), false)
    }
}
