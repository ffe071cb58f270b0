import Foundation
import Yams

/// Reads a fault schedule file (YAML; see Deploy/scenarios/). Every error names the file and line.
///
/// ```yaml
/// initial:
///   gas-calciner/volume_corrected: 42949600     # Nm3, in the counter's unit
/// faults:
///   - {meter: pm-aux, kind: timeout, at: 10s, for: 20s}
///   - {meter: pm-main, kind: exception, code: illegal_data_address, registers: 3109}
/// ```
public enum FaultFile {
    /// Loads and parses the file at `path`.
    public static func load(path: String) throws(FaultScheduleError) -> FaultSchedule {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FaultScheduleError(origin: path, message: "cannot read the fault file; check the path and its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FaultScheduleError(origin: name, message: "not UTF-8 text; a fault file is plain YAML")
        }
        return try parse(yaml: text, file: name)
    }

    /// Parses fault-file text; `file` names it in messages.
    public static func parse(yaml: String, file: String) throws(FaultScheduleError) -> FaultSchedule {
        func fail(_ node: Node?, _ message: String) -> FaultScheduleError {
            FaultScheduleError(origin: "\(file):\(node?.mark?.line ?? 1)", message: message)
        }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { return FaultSchedule() }
            root = composed
        } catch let error as YamlError {
            throw FaultScheduleError(origin: "\(file):\(line(of: error))", message: "not valid YAML: \(error)")
        } catch {
            throw FaultScheduleError(origin: file, message: "not valid YAML: \(error)")
        }
        guard let top = root.mapping else { throw fail(root, "expected a mapping with `faults:` (a list) and optionally `initial:`") }
        var schedule = FaultSchedule()
        for (keyNode, value) in top {
            switch keyNode.string {
            case "faults":
                guard let list = value.sequence else { throw fail(value, "`faults` must be a list of {meter, kind, at, for, ...}") }
                for entry in list { schedule.faults.append(try fault(entry, file: file)) }
            case "initial":
                guard let map = value.mapping else { throw fail(value, "`initial` must map METER/COUNTER to a value") }
                for (pathNode, valueNode) in map {
                    let path = (pathNode.string ?? "").split(separator: "/").map(String.init)
                    guard path.count == 2, let number = valueNode.string.flatMap(Double.init), number.isFinite, number >= 0 else {
                        throw fail(pathNode, "write `METER/COUNTER: VALUE` (value ≥ 0 in the counter's unit), e.g. `gas-calciner/volume_corrected: 42949600`")
                    }
                    schedule.initial.append(InitialCounter(meter: path[0], counter: path[1], value: number, origin: "\(file):\(pathNode.mark?.line ?? 1)"))
                }
            default:
                throw fail(keyNode, "unknown key '\(keyNode.string ?? "?")'; a fault file has `faults:` and `initial:`")
            }
        }
        return schedule
    }

    static func fault(_ node: Node, file: String) throws(FaultScheduleError) -> ScheduledFault {
        let origin = "\(file):\(node.mark?.line ?? 1)"
        guard let map = node.mapping else {
            throw FaultScheduleError(origin: origin, message: "each fault is a mapping like {meter: pm-aux, kind: timeout, at: 10s, for: 20s}")
        }
        var fields: [String: String] = [:]
        for (key, value) in map {
            guard let name = key.string, let text = value.string else {
                throw FaultScheduleError(origin: "\(file):\(key.mark?.line ?? 1)", message: "fault fields are plain values (text or numbers)")
            }
            fields[name] = text
        }
        guard let meter = fields.removeValue(forKey: "meter") else {
            throw FaultScheduleError(origin: origin, message: "fault without `meter:`; name the meter id, e.g. meter: pm-aux")
        }
        guard let kindName = fields.removeValue(forKey: "kind") else {
            throw FaultScheduleError(origin: origin, message: "fault without `kind:`; use one of \(FaultKind.names.joined(separator: ", "))")
        }
        let start = try FaultKind.seconds(fields.removeValue(forKey: "at") ?? "0s", key: "at", origin: origin)
        let duration = try fields.removeValue(forKey: "for").map { text throws(FaultScheduleError) in
            try FaultKind.seconds(text, key: "for", origin: origin)
        }
        let kind = try FaultKind.parse(name: kindName, parameters: fields, origin: origin)
        return ScheduledFault(meter: meter, kind: kind, start: start, duration: duration, origin: origin)
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }
}
