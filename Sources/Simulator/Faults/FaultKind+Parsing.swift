import Foundation
import Modbus
import ModbusProtocol
import PlantModel

extension FaultKind {
    /// Parameters each fault kind takes in a fault file.
    static let parameters: [String: [String]] = [
        "timeout": [], "busy": [], "disconnect": [], "replacement": [], "frozen": [],
        "slow": ["delay"], "trickle": ["byte_delay"], "exception": ["code", "registers"], "garbled": ["garble"],
        "rollover": ["counter", "below"], "reset": ["keep_marker"], "spike": ["factor"], "nan": ["condition"],
    ]

    /// A fault kind from its name and its parameters as text.
    static func parse(name: String, parameters: [String: String], origin: String) throws(FaultScheduleError) -> FaultKind {
        func fail(_ message: String) -> FaultScheduleError { FaultScheduleError(origin: origin, message: message) }
        guard let allowed = Self.parameters[name] else {
            throw fail("unknown fault kind '\(name)'; use one of \(names.joined(separator: ", "))")
        }
        if let extra = parameters.keys.sorted().first(where: { !allowed.contains($0) }) {
            let hint = allowed.isEmpty ? "\(name) takes no parameters" : "\(name) takes \(allowed.joined(separator: ", "))"
            throw fail("unknown key '\(extra)' for fault \(name); \(hint)")
        }
        switch name {
        case "timeout": return .timeout
        case "busy": return .busy
        case "disconnect": return .disconnect
        case "replacement": return .replacement
        case "frozen": return .frozen
        case "slow":
            return .slowReply(seconds: try seconds(parameters["delay"] ?? "1s", key: "delay", origin: origin))
        case "trickle":
            return .trickle(seconds: try seconds(parameters["byte_delay"] ?? "100ms", key: "byte_delay", origin: origin))
        case "exception":
            let code = try exceptionCode(parameters["code"] ?? "4", origin: origin)
            return .exception(code, registers: try parameters["registers"].map { text throws(FaultScheduleError) in try registerRange(text, origin: origin) })
        case "garbled":
            let text = parameters["garble"] ?? "wrong_tid"
            guard let fault = ReplyFault(rawValue: text) else {
                throw fail("unknown garble '\(text)'; use one of \(ReplyFault.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .garbled(fault)
        case "rollover":
            let below = try number(parameters["below"] ?? "1", key: "below", origin: origin)
            guard below > 0 else { throw fail("below must be > 0 (how far under the wrap the counter lands, in its unit)") }
            return .rollover(counter: parameters["counter"], below: below)
        case "reset":
            let text = parameters["keep_marker"] ?? "false"
            guard let keep = Bool(text.lowercased()) else { throw fail("keep_marker must be true or false, not '\(text)'") }
            return .reset(keepMarker: keep)
        case "spike":
            return .spike(factor: try number(parameters["factor"] ?? "1000", key: "factor", origin: origin))
        default:
            let condition = try number(parameters["condition"] ?? "3", key: "condition", origin: origin)
            guard condition == condition.rounded(), (0...32767).contains(condition) else {
                throw fail("condition must be a whole number 0…32767 (an E+H system condition code)")
            }
            return .notANumber(condition: Int(condition))
        }
    }

    /// Seconds from `250ms`, `2s`, `1m`, `1h` or a bare number of seconds.
    static func seconds(_ text: String, key: String, origin: String) throws(FaultScheduleError) -> Double {
        if let duration = DurationText.parse(text) { return DurationText.seconds(duration) }
        if let value = Double(text), value.isFinite, value >= 0 { return value }
        throw FaultScheduleError(origin: origin, message: "\(key) '\(text)' is not a duration; write e.g. 250ms, 10s, 5m or 1h")
    }

    static func number(_ text: String, key: String, origin: String) throws(FaultScheduleError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw FaultScheduleError(origin: origin, message: "\(key) '\(text)' is not a number")
        }
        return value
    }

    /// An exception by code (2) or name (`illegal_data_address`).
    static func exceptionCode(_ text: String, origin: String) throws(FaultScheduleError) -> ModbusException {
        let key = text.lowercased().replacingOccurrences(of: " ", with: "_")
        if let raw = UInt8(key), let code = ModbusException(rawValue: raw) { return code }
        if let code = ModbusException.allCases.first(where: { $0.name.replacingOccurrences(of: " ", with: "_") == key }) { return code }
        let known = ModbusException.allCases.map { "\($0.rawValue) \($0.name.replacingOccurrences(of: " ", with: "_"))" }
        throw FaultScheduleError(origin: origin, message: "unknown exception code '\(text)'; use one of \(known.joined(separator: ", "))")
    }

    /// `3109` or `3109-3110` (PDU addresses).
    static func registerRange(_ text: String, origin: String) throws(FaultScheduleError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count == 1, let a = parts[0], (0...65535).contains(a) { return a...a }
        if parts.count == 2, let a = parts[0], let b = parts[1], 0 <= a, a <= b, b <= 65535 { return a...b }
        throw FaultScheduleError(origin: origin, message: "registers '\(text)' is not an address or range; write e.g. 3109 or 3109-3110 (0-based PDU addresses)")
    }
}
