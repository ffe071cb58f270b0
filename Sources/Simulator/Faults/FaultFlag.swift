/// The `--fault METER:KIND[=ARG]@START[+DURATION]` notation, e.g. `pm-aux:timeout@10s+20s`,
/// `pm-main:exception=2/3109@0s`, `fm-intake:nan=3@1m+30s`, `gas-calciner:rollover=volume_corrected/5@2m`.
public enum FaultFlag {
    /// What `=ARG` means for each kind (split at `/`).
    static let positional: [String: [String]] = [
        "slow": ["delay"], "trickle": ["byte_delay"], "exception": ["code", "registers"], "garbled": ["garble"],
        "rollover": ["counter", "below"], "reset": ["keep_marker"], "spike": ["factor"], "nan": ["condition"],
    ]

    /// Parses one flag value.
    public static func parse(_ text: String) throws(FaultScheduleError) -> ScheduledFault {
        let origin = "--fault \(text)"
        let usage = "write METER:KIND[=ARG]@START[+DURATION], e.g. pm-aux:timeout@10s+20s"
        guard let colon = text.firstIndex(of: ":") else { throw FaultScheduleError(origin: origin, message: "no meter; \(usage)") }
        let meter = String(text[..<colon])
        var rest = String(text[text.index(after: colon)...])
        var start = 0.0
        var duration: Double?
        if let at = rest.firstIndex(of: "@") {
            var when = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
            if let plus = when.firstIndex(of: "+") {
                duration = try FaultKind.seconds(String(when[when.index(after: plus)...]), key: "duration", origin: origin)
                when = String(when[..<plus])
            }
            start = try FaultKind.seconds(when, key: "start", origin: origin)
        }
        var name = rest
        var parameters: [String: String] = [:]
        if let equals = rest.firstIndex(of: "=") {
            name = String(rest[..<equals])
            let values = rest[rest.index(after: equals)...].split(separator: "/").map(String.init)
            var keys = positional[name] ?? []
            // rollover=5 means "5 below the wrap of every wrapping counter".
            if name == "rollover", values.count == 1, Double(values[0]) != nil { keys = ["below"] }
            if name == "reset", values == ["keep_marker"] { parameters["keep_marker"] = "true" } else {
                guard values.count <= keys.count else {
                    throw FaultScheduleError(origin: origin, message: "too many values after '='; \(name) takes \(keys.isEmpty ? "none" : keys.joined(separator: "/"))")
                }
                for (key, value) in zip(keys, values) { parameters[key] = value }
            }
        }
        guard !meter.isEmpty else { throw FaultScheduleError(origin: origin, message: "no meter; \(usage)") }
        let kind = try FaultKind.parse(name: name, parameters: parameters, origin: origin)
        return ScheduledFault(meter: meter, kind: kind, start: start, duration: duration, origin: origin)
    }

    /// Parses `METER/COUNTER=VALUE` (an initial counter value, in the counter's unit).
    public static func parseInitial(_ text: String) throws(FaultScheduleError) -> InitialCounter {
        let origin = "--initial \(text)"
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let path = parts.first?.split(separator: "/").map(String.init) ?? []
        guard parts.count == 2, path.count == 2, let value = Double(parts[1]), value.isFinite, value >= 0 else {
            throw FaultScheduleError(origin: origin, message: "write METER/COUNTER=VALUE, e.g. gas-calciner/volume_corrected=42949600")
        }
        return InitialCounter(meter: path[0], counter: path[1], value: value, origin: origin)
    }
}
