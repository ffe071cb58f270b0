import Modbus
import ModbusProtocol

/// What an injected fault does to one meter.
public enum FaultKind: Sendable, Hashable {
    /// No answer at all: the client times out.
    case timeout
    /// Answer after `seconds`.
    case slowReply(seconds: Double)
    /// Answer one byte at a time, `seconds` apart (slow-loris).
    case trickle(seconds: Double)
    /// A Modbus exception, for every read or only reads touching `registers`.
    case exception(ModbusException, registers: ClosedRange<Int>?)
    /// Exception 06, server device busy.
    case busy
    /// A malformed reply of this kind.
    case garbled(ReplyFault)
    /// The connection is closed instead of answered.
    case disconnect
    /// Wrapping counters (all, or the one named) jump to `below` short of their wrap.
    case rollover(counter: String?, below: Double)
    /// Counters restart at 0; the energy_reset_time marker changes unless `keepMarker`.
    case reset(keepMarker: Bool)
    /// The meter is swapped: silent during the window, then back with counters from 0 and a new marker.
    case replacement
    /// Every register keeps the value it had when the fault began.
    case frozen
    /// The primary gauge shows `factor` × its value.
    case spike(factor: Double)
    /// The primary float is NaN; an E+H meter reports `system_condition` = `condition`.
    case notANumber(condition: Int)

    /// The fault's name in fault files and flags.
    public var name: String {
        switch self {
        case .timeout: "timeout"
        case .slowReply: "slow"
        case .trickle: "trickle"
        case .exception: "exception"
        case .busy: "busy"
        case .garbled: "garbled"
        case .disconnect: "disconnect"
        case .rollover: "rollover"
        case .reset: "reset"
        case .replacement: "replacement"
        case .frozen: "frozen"
        case .spike: "spike"
        case .notANumber: "nan"
        }
    }

    /// Every name a fault file or flag accepts.
    public static let names = ["timeout", "slow", "trickle", "exception", "busy", "garbled", "disconnect",
                               "rollover", "reset", "replacement", "frozen", "spike", "nan"]

    /// Faults that happen at one instant rather than over a window.
    public var isInstant: Bool {
        switch self {
        case .rollover, .reset: true
        default: false
        }
    }

    /// The fault and its parameters, for the log.
    public var description: String {
        switch self {
        case .slowReply(let seconds): "slow reply \(seconds)s"
        case .trickle(let seconds): "trickle \(seconds)s/byte"
        case .exception(let code, let range?): "exception \(code.rawValue) (\(code.name)) on registers \(range.lowerBound)…\(range.upperBound)"
        case .exception(let code, nil): "exception \(code.rawValue) (\(code.name))"
        case .garbled(let fault): "garbled \(fault.rawValue)"
        case .rollover(let counter, let below): "rollover \(counter ?? "all wrapping counters") to \(below) below the wrap"
        case .reset(let keep): keep ? "reset (marker kept)" : "reset"
        case .spike(let factor): "spike ×\(factor)"
        case .notANumber(let condition): "NaN (system_condition \(condition))"
        default: name
        }
    }
}
