/// Block demand of a power meter (15-minute blocks on the wall clock, kW), from the energy integral.
extension SimulatedMeter {
    var hasDemand: Bool { layout.slots.contains { $0.tag == "demand_peak" } }

    /// Simulated time at which the 15-minute block containing `t` began (may be before 0).
    func blockStart(containing t: Double) -> Double {
        ((curve.startEpoch + t) / 900).rounded(.down) * 900 - curve.startEpoch
    }

    /// Average import power between two times, kW.
    func averageKW(from a: Double, to b: Double) -> Double {
        guard b - a >= 1 else { return 0 }
        return (truth(at: b)[0] - truth(at: a)[0]) / ((b - a) / 3600) / 1000
    }

    /// Last completed block, block in progress and the peak block since the start, kW.
    func demand(at t: Double) -> (last: Double, present: Double, peak: Double) {
        let start = blockStart(containing: t)
        let present = averageKW(from: max(0, start), to: t)
        let last = start > 0 ? averageKW(from: max(0, start - 900), to: start) : 0
        let peak = demandPeaks.last { $0.end <= t }?.peak ?? 0
        return (last, present, peak)
    }
}
