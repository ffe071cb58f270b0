import Foundation

/// The mutable half of a `Simulation`: the plant, how far it has run, and which fault edges were passed.
struct SimulationState: Sendable {
    var plant: PlantScenario
    var time: Double = 0
    /// Fault edges (index, isEnd) already handled.
    var passed: Set<Int> = []
    var log: [String] = []

    init(plant: PlantScenario) { self.plant = plant }

    /// Runs the plant to `t`, applying instant faults and logging window edges in time order.
    mutating func advance(to t: Double, faults: [ScheduledFault]) {
        let target = max(t, time)
        var edges: [(time: Double, fault: Int, isEnd: Bool)] = []
        for (index, fault) in faults.enumerated() {
            if fault.start <= target, !passed.contains(2 * index) { edges.append((fault.start, index, false)) }
            if !fault.kind.isInstant, fault.end <= target, !passed.contains(2 * index + 1) { edges.append((fault.end, index, true)) }
        }
        for edge in edges.sorted(by: { ($0.time, $0.fault) < ($1.time, $1.fault) }) {
            passed.insert(2 * edge.fault + (edge.isEnd ? 1 : 0))
            plant.advance(to: edge.time)
            apply(faults[edge.fault], at: edge.time, isEnd: edge.isEnd)
        }
        plant.advance(to: target)
        time = target
    }

    private mutating func apply(_ fault: ScheduledFault, at t: Double, isEnd: Bool) {
        let stamp = Self.stamp(plant.start, t)
        let window = fault.duration.map { " for \(Self.seconds($0))" } ?? ""
        switch (fault.kind, isEnd) {
        case (.reset(let keep), _):
            plant.update(fault.meter) { $0.reset(at: t, keepMarker: keep) }
            log.append("\(stamp) fault: \(fault.meter) \(fault.kind.description): counters restart at 0 [\(fault.origin)]")
        case (.rollover(let counter, let below), _):
            var jumped: [String] = []
            plant.update(fault.meter) { jumped = $0.jumpToRollover(at: t, tag: counter, below: below) }
            log.append("\(stamp) fault: \(fault.meter) \(fault.kind.description): jumped \(jumped.joined(separator: ", ")) [\(fault.origin)]")
        case (.replacement, true):
            plant.update(fault.meter) { $0.reset(at: t) }
            log.append("\(stamp) fault ends: \(fault.meter) replacement: new meter online, counters from 0, new reset marker [\(fault.origin)]")
        case (_, false):
            log.append("\(stamp) fault starts: \(fault.meter) \(fault.kind.description)\(window) [\(fault.origin)]")
            if case .replacement = fault.kind, fault.duration == nil {
                plant.update(fault.meter) { $0.reset(at: t) }
            }
        case (_, true):
            log.append("\(stamp) fault ends: \(fault.meter) \(fault.kind.description) [\(fault.origin)]")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    /// `[sim 2025-06-01T10:00:05.000Z]`.
    static func stamp(_ start: Date, _ t: Double) -> String {
        "[sim \(TruthRecord.timestamp(start.addingTimeInterval(t)))]"
    }
}
