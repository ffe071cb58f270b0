import Modbus
import ModbusProtocol
import PlantModel

/// One simulated device: its physics, its profile's register layout and its counters' history.
///
/// A value type with no I/O: time is passed in (simulated seconds since the scenario's start), so tests
/// drive it directly. Counters are the exact integral of `rates(at:)`; what the registers show is that
/// truth plus offsets that only faults (reset, rollover jump, replacement) or initial values change.
public struct SimulatedMeter: Sendable {
    public let id: String
    /// The bus (`mcc`, `field`) the meter sits on, and its unit id there.
    public let bus: String
    public let unit: UInt8
    public let profile: MeterProfile
    public let physics: any MeterPhysics
    public let layout: RegisterLayout
    public let waterRole: WaterRole?
    let curve: ProcessCurve
    var integral: RateIntegral
    var epochs: [CounterEpoch]
    var demandPeaks: [(end: Double, peak: Double)] = []
    var demandBlocksDone = 0

    public init(id: String, bus: String, unit: UInt8, profile: MeterProfile, physics: any MeterPhysics,
                curve: ProcessCurve, waterRole: WaterRole? = nil) {
        self.id = id
        self.bus = bus
        self.unit = unit
        self.profile = profile
        self.physics = physics
        self.curve = curve
        self.waterRole = waterRole
        // The E+H meter answers FC04 exactly as FC03.
        layout = RegisterLayout(profile: profile, extraTables: profile.name == "eh-promag" ? [.input] : [])
        integral = RateIntegral(channels: physics.counters.count)
        let installed = (curve.startEpoch / 86_400).rounded(.down) * 86_400 - 30 * 86_400
        let none = [Double](repeating: 0, count: physics.counters.count)
        epochs = [CounterEpoch(time: 0, offsets: none, marker: installed, jumps: none)]
    }

    public var counters: [CounterChannel] { physics.counters }

    /// Counter rates in truth units per hour.
    public func rates(at t: Double) -> [Double] { physics.rates(at: t, curve: curve) }

    /// True cumulative quantities since the start (truth units: Wh, m3, Nm3, t).
    public func truth(at t: Double) -> [Double] {
        integral.cumulative(at: t) { physics.rates(at: $0, curve: curve) }
    }

    func epoch(at t: Double) -> CounterEpoch {
        epochs.last { $0.time <= t } ?? epochs[0]
    }

    /// Counters as the meter shows them (tag units, before the register wraps).
    public func display(at t: Double) -> [Double] { display(at: t, truth: truth(at: t)) }

    /// `display(at:)` from the truth at `t` already computed (the truth file needs both; each costs an integral).
    public func display(at t: Double, truth: [Double]) -> [Double] {
        let offsets = epoch(at: t).offsets
        return zip(zip(truth, counters), offsets).map { pair, offset in pair.0 * pair.1.displayFactor + offset }
    }

    /// Non-physical jumps of each counter so far (tag units): what a totaliser must not count as usage.
    public func jumps(at t: Double) -> [Double] { epoch(at: t).jumps }

    /// The reset marker (energy_reset_time) at `t`.
    public func marker(at t: Double) -> Double { epoch(at: t).marker }

    /// Memoises the integral up to `t` and closes demand blocks. Call with non-decreasing times.
    public mutating func advance(to t: Double) {
        let physics = physics, curve = curve
        integral.extend(to: t) { physics.rates(at: $0, curve: curve) }
        guard hasDemand else { return }
        while true {
            let end = blockStart(containing: 0) + Double(demandBlocksDone + 1) * 900
            guard end <= t else { break }
            let peak = max(demandPeaks.last?.peak ?? 0, averageKW(from: max(0, end - 900), to: end))
            demandPeaks.append((end, peak))
            demandBlocksDone += 1
        }
    }

    /// Sets a counter's shown value at the start (e.g. a gas counter near its 2^32 rollover).
    public mutating func setInitial(tag: String, value: Double) -> Bool {
        guard let index = counters.firstIndex(where: { $0.tag == tag || $0.truthKey == tag }) else { return false }
        epochs[0].offsets[index] = value - truth(at: 0)[index] * counters[index].displayFactor
        return true
    }

    /// Resets every counter to 0 at `t`; the reset marker changes unless `keepMarker`.
    public mutating func reset(at t: Double, keepMarker: Bool = false) {
        var next = epoch(at: t)
        let shown = display(at: t)
        let truth = truth(at: t)
        next.time = t
        for index in counters.indices {
            next.jumps[index] -= shown[index]
            next.offsets[index] = -truth[index] * counters[index].displayFactor
        }
        if !keepMarker { next.marker = (curve.startEpoch + t).rounded(.down) }
        epochs.append(next)
    }

    /// Jumps counters that wrap (all, or the one named) to `below` short of their next wrap.
    /// Returns the counters jumped.
    @discardableResult
    public mutating func jumpToRollover(at t: Double, tag: String? = nil, below: Double) -> [String] {
        var next = epoch(at: t)
        let shown = display(at: t)
        next.time = t
        var jumped: [String] = []
        for (index, channel) in counters.enumerated() {
            guard let wrap = channel.wrap, tag == nil || tag == channel.tag || tag == channel.truthKey else { continue }
            let target = ((shown[index] / wrap).rounded(.down) + 1) * wrap - below
            next.offsets[index] += target - shown[index]
            next.jumps[index] += target - shown[index]
            jumped.append(channel.tag)
        }
        if !jumped.isEmpty { epochs.append(next) }
        return jumped
    }

    /// Every tag's engineering value at `t`, with distortions applied.
    public func tagValues(at t: Double, distortions: [Distortion] = []) -> [String: Double] {
        var context = MeterContext(display: display(at: t), marker: marker(at: t))
        if hasDemand { (context.demandLast, context.demandPresent, context.demandPeak) = demand(at: t) }
        var values = physics.tagValues(at: t, curve: curve, context: context)
        for distortion in distortions {
            switch distortion {
            case .notANumber(let condition):
                values[physics.primaryGauge] = .nan
                if values["system_condition"] != nil { values["system_condition"] = Double(condition) }
            case .spike(let factor):
                values[physics.primaryGauge] = (values[physics.primaryGauge] ?? 0) * factor
            }
        }
        return values
    }

    /// The answer to a read of `count` registers at `address`: the words, or the device's exception.
    public func registers(_ table: RegisterTable, address: Int, count: Int, at t: Double,
                          distortions: [Distortion] = []) -> ModbusReply {
        guard layout.tables.contains(table) else { return .exception(.illegalFunction) }
        let range = address..<(address + count)
        guard count > 0, layout.implements(range) else { return .exception(.illegalDataAddress) }
        return .registers(layout.words(range, values: tagValues(at: t, distortions: distortions)))
    }
}
