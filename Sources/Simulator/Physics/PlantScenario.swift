import Foundation

/// A simulated plant: its meters and the line curve they share. Pure and time-injected: `t` is
/// simulated seconds since `start`.
public struct PlantScenario: Sendable {
    public let name: String
    public let summary: String
    /// Simulated time 0.
    public let start: Date
    public let seed: UInt64
    public let curve: ProcessCurve
    public private(set) var meters: [SimulatedMeter]

    init(name: String, summary: String, start: Date, seed: UInt64, curve: ProcessCurve, meters: [SimulatedMeter]) {
        self.name = name
        self.summary = summary
        self.start = start
        self.seed = seed
        self.curve = curve
        self.meters = meters
    }

    /// The meter with this id.
    public func meter(_ id: String) -> SimulatedMeter? { meters.first { $0.id == id } }

    /// Index of the meter answering `unit` on `bus`.
    public func meterIndex(bus: String, unit: UInt8) -> Int? {
        meters.firstIndex { $0.bus == bus && $0.unit == unit }
    }

    /// The buses in serving order (`mcc` first), with their meters by unit id.
    public var buses: [(bus: String, meters: [SimulatedMeter])] {
        ["mcc", "field"].map { bus in (bus, meters.filter { $0.bus == bus }.sorted { $0.unit < $1.unit }) }
    }

    /// Advances every meter's memo to `t`.
    public mutating func advance(to t: Double) {
        for index in meters.indices { meters[index].advance(to: t) }
    }

    /// Runs `change` on the meter with this id; false when there is none.
    @discardableResult
    public mutating func update(_ id: String, _ change: (inout SimulatedMeter) -> Void) -> Bool {
        guard let index = meters.firstIndex(where: { $0.id == id }) else { return false }
        change(&meters[index])
        return true
    }

    /// True water volumes (m3) at `t` by role, and process use = intake + recycle.
    public func waterBalance(at t: Double) -> [String: Double] {
        waterBalance(truths: meters.map { $0.waterRole == nil ? [] : $0.truth(at: t) })
    }

    /// The water balance from every meter's truth at one instant, in `meters` order.
    public func waterBalance(truths: [[Double]]) -> [String: Double] {
        var sums: [String: Double] = [:]
        for (meter, truth) in zip(meters, truths) {
            guard let role = meter.waterRole else { continue }
            sums["\(role.rawValue)_m3", default: 0] += truth.first ?? 0
        }
        guard !sums.isEmpty else { return [:] }
        sums["process_use_m3"] = sums["intake_m3", default: 0] + sums["recycle_m3", default: 0]
        return sums
    }
}
