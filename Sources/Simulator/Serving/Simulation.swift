import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Synchronization

/// A running plant: the scenario, its fault schedule and a clock, answering Modbus requests.
///
/// Thread-safe: `reply` is called from every server connection's thread; the plant is guarded by a
/// mutex and advanced lazily to the clock's "now" on each request (and on each truth record).
public final class Simulation: Sendable {
    public let clock: any SimulationClock
    public let schedule: FaultSchedule
    public let start: Date
    private let state: Mutex<SimulationState>
    private let lateness = Mutex(ServingLag())

    /// Checks the schedule against the scenario (meters, counters) and applies initial counter values.
    public init(scenario: PlantScenario, schedule: FaultSchedule = FaultSchedule(), clock: any SimulationClock) throws(FaultScheduleError) {
        var plant = scenario
        let ids = scenario.meters.map(\.id)
        for fault in schedule.faults {
            guard let meter = scenario.meter(fault.meter) else {
                throw FaultScheduleError(origin: fault.origin, message: "no meter '\(fault.meter)' in scenario \(scenario.name); its meters are \(ids.joined(separator: ", "))")
            }
            if case .rollover(let counter, _) = fault.kind {
                let wrapping = meter.counters.filter { $0.wrap != nil }
                if wrapping.isEmpty {
                    throw FaultScheduleError(origin: fault.origin, message: "\(meter.id) (\(meter.profile.name)) has no counter that wraps; use kind: reset, or a meter with uint32 or E+H totaliser counters")
                }
                if let counter, !wrapping.contains(where: { $0.tag == counter || $0.truthKey == counter }) {
                    throw FaultScheduleError(origin: fault.origin, message: "\(meter.id) has no wrapping counter '\(counter)'; use one of \(wrapping.map(\.tag).joined(separator: ", "))")
                }
            }
        }
        for initial in schedule.initial {
            guard plant.meter(initial.meter) != nil else {
                throw FaultScheduleError(origin: initial.origin, message: "no meter '\(initial.meter)' in scenario \(scenario.name); its meters are \(ids.joined(separator: ", "))")
            }
            var found = false
            plant.update(initial.meter) { found = $0.setInitial(tag: initial.counter, value: initial.value) }
            guard found, let meter = plant.meter(initial.meter) else {
                let names = plant.meter(initial.meter)?.counters.map(\.tag).joined(separator: ", ") ?? ""
                throw FaultScheduleError(origin: initial.origin, message: "\(initial.meter) has no counter '\(initial.counter)'; its counters are \(names)")
            }
            _ = meter
        }
        self.clock = clock
        self.schedule = schedule
        self.start = scenario.start
        state = Mutex(SimulationState(plant: plant))
    }

    /// Simulated seconds since the start, now.
    public func now() -> Double { clock.elapsed() }

    /// Runs `body` on the plant advanced to `t` (default: now). Do not block inside.
    public func withPlant<R: Sendable>(at t: Double? = nil, _ body: (PlantScenario, Double) -> R) -> R {
        let target = t ?? clock.elapsed()
        let faults = schedule.faults
        return state.withLock { state in
            state.advance(to: target, faults: faults)
            return body(state.plant, state.time)
        }
    }

    /// A copy of the plant advanced to now, and its time: taken under the lock (a copy-on-write copy, so
    /// cheap), read outside it, so slow work such as formatting truth never delays a reply.
    public func snapshot() -> (plant: PlantScenario, time: Double) {
        withPlant { plant, time in (plant, time) }
    }

    /// Advances the plant to now, so the next request finds it there.
    public func catchUp() {
        _ = withPlant { _, time in time }
    }

    /// The requests that waited on the simulator itself so far.
    public var lag: ServingLag { lateness.withLock { $0 } }

    /// Log lines (fault edges) produced since the last call.
    public func drainLog() -> [String] {
        let faults = schedule.faults
        let now = clock.elapsed()
        return state.withLock { state in
            state.advance(to: now, faults: faults)
            defer { state.log.removeAll() }
            return state.log
        }
    }

    /// The answer of the meter at `unit` on `bus` to `request`, faults applied.
    /// A unit nobody answers: silence on a serial line, exception 0B from a TCP gateway.
    /// How long it waited for the lock and the plant's catch-up is noted when over `ServingLag.thresholdMilliseconds`.
    public func reply(to request: ModbusRequest, bus: String, overSerial: Bool) -> ModbusReply {
        let arrived = ContinuousClock.now
        let faults = schedule.faults
        let now = clock.elapsed()
        var waited = Duration.zero
        let reply = state.withLock { state -> ModbusReply in
            state.advance(to: now, faults: faults)
            waited = ContinuousClock.now - arrived
            return Self.answer(request, bus: bus, overSerial: overSerial, state: state, faults: faults)
        }
        let milliseconds = waited.inSeconds * 1000
        if milliseconds > ServingLag.thresholdMilliseconds {
            lateness.withLock { $0.note(milliseconds: milliseconds, bus: bus, unit: request.unit) }
        }
        return reply
    }

    private static func answer(_ request: ModbusRequest, bus: String, overSerial: Bool, state: SimulationState, faults: [ScheduledFault]) -> ModbusReply {
        let t = state.time
        guard let index = state.plant.meterIndex(bus: bus, unit: request.unit) else {
            return overSerial ? .silence : .exception(.gatewayTargetFailedToRespond)
        }
        let meter = state.plant.meters[index]
        guard let table = request.table else {
            return .exception(.illegalFunction)
        }
        let requested = Int(request.address)...Int(request.address) + max(0, Int(request.count) - 1)
        var readTime = t
        var distortions: [Distortion] = []
        var wrappers: [(ModbusReply) -> ModbusReply] = []
        for fault in faults where fault.meter == meter.id && fault.isActive(at: t) {
            switch fault.kind {
            case .timeout, .replacement: return .silence
            case .disconnect: return .disconnect
            case .busy: return .exception(.serverDeviceBusy)
            case .exception(let code, let range):
                if range.map({ $0.overlaps(requested) }) ?? true { return .exception(code) }
            case .frozen: readTime = min(readTime, fault.start)
            case .spike(let factor): distortions.append(.spike(factor: factor))
            case .notANumber(let condition): distortions.append(.notANumber(condition: condition))
            case .garbled(let kind): wrappers.append { .garbled(kind, $0) }
            case .slowReply(let seconds): wrappers.append { .delayed(seconds, $0) }
            case .trickle(let seconds): wrappers.append { .trickled(seconds, $0) }
            case .rollover, .reset: break
            }
        }
        var reply = meter.registers(table, address: Int(request.address), count: Int(request.count), at: readTime, distortions: distortions)
        for wrap in wrappers { reply = wrap(reply) }
        return reply
    }
}
