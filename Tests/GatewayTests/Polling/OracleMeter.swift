import Glibc
import Modbus
import ModbusProtocol
import Synchronization

/// A meter whose every holding/input register reads 1000 + its address (the scenario C value oracle),
/// with faults a test can switch on for the next few replies, registers it refuses, and a log of
/// when each request arrived.
final class OracleMeter: ModbusRequestHandler, Sendable {
    /// A fault applied to the good reply, and how long the server stays busy sending it (for when it ends).
    struct Fault: Sendable {
        var name: String
        var busySeconds: Double = 0
        var apply: @Sendable (ModbusReply) -> ModbusReply
    }

    private struct State {
        var fault: Fault?
        var faultsRemaining = 0
        /// Monotonic time by which the last faulted reply has been fully sent.
        var faultClearedMonoNanos: Int64 = 0
        var arrivals: [Int64] = []
        var refused: Set<Int> = []
        var refusals = 0
        var silent = false
        var delaySeconds = 0.0
    }

    let unit: UInt8
    private let state = Mutex(State())

    init(unit: UInt8 = 1, refusing refused: Set<Int> = []) {
        self.unit = unit
        state.withLock { $0.refused = refused }
    }

    static func value(at address: Int) -> UInt16 { UInt16(truncatingIfNeeded: 1000 + address) }

    func reply(to request: ModbusRequest) -> ModbusReply {
        guard request.unit == unit else { return .silence }
        let now = monotonicNow()
        let start = Int(request.address), count = Int(request.count)
        let good = ModbusReply.registers((0..<count).map { Self.value(at: start + $0) })
        return state.withLock { state -> ModbusReply in
            state.arrivals.append(now)
            if state.silent { return .silence }
            if !state.refused.isDisjoint(with: start..<(start + count)) {
                state.refusals += 1
                return .exception(.illegalDataAddress)
            }
            if let fault = state.fault, state.faultsRemaining > 0 {
                state.faultsRemaining -= 1
                state.faultClearedMonoNanos = now + Int64(fault.busySeconds * 1e9)
                return fault.apply(good)
            }
            return state.delaySeconds > 0 ? .delayed(state.delaySeconds, good) : good
        }
    }

    /// The next `count` replies carry `fault`.
    func inject(_ fault: Fault, count: Int) {
        state.withLock {
            $0.fault = fault
            $0.faultsRemaining = count
        }
    }

    var faultsRemaining: Int { state.withLock { $0.faultsRemaining } }
    var faultClearedMonoNanos: Int64 { state.withLock { $0.faultClearedMonoNanos } }
    var requestCount: Int { state.withLock { $0.arrivals.count } }
    /// Requests answered "illegal data address".
    var refusals: Int { state.withLock { $0.refusals } }
    func arrivals(since monoNanos: Int64) -> [Int64] { state.withLock { $0.arrivals.filter { $0 >= monoNanos } } }
    func setSilent(_ silent: Bool) { state.withLock { $0.silent = silent } }
    func setDelay(_ seconds: Double) { state.withLock { $0.delaySeconds = seconds } }
}

/// `CLOCK_MONOTONIC` in nanoseconds, the clock the poller stamps samples with.
func monotonicNow() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
