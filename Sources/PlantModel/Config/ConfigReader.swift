import Foundation
import Yams

/// Reads typed values out of a composed YAML tree, collecting every problem instead of stopping at the
/// first, and recording each key's line in a `SourceMap`.
final class ConfigReader {
    let file: String
    private(set) var errors: [ConfigDiagnostic] = []
    private(set) var warnings: [ConfigDiagnostic] = []
    var source: SourceMap
    /// What failed to parse, for the whole-config checks that follow.
    var damage = ParseDamage()

    /// Looks up the files the configuration names: the caller's I/O, not the model's.
    let files: ConfigFileReader?

    init(file: String, files: ConfigFileReader? = nil) {
        self.file = file
        self.files = files
        self.source = SourceMap(file: file)
    }

    static func line(_ node: Node?) -> Int { node?.mark?.line ?? 0 }

    func error(_ node: Node?, _ path: String, _ message: String) {
        error(line: Self.line(node), path, message)
    }

    func error(line: Int, _ path: String, _ message: String) {
        errors.append(ConfigDiagnostic(file: file, line: line, path: path, message: message))
        damage.recordError(at: path)
    }

    func warning(line: Int, _ path: String, _ message: String) {
        warnings.append(ConfigDiagnostic(severity: .warning, file: file, line: line, path: path, message: message))
    }

    static func join(_ base: String, _ key: String) -> String { base.isEmpty ? key : "\(base).\(key)" }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string.prefix(40))\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: Containers

    /// The mapping at `path` with its keys checked against `allowed` (unknown keys are errors with a
    /// did-you-mean hint; `special` maps a key to a custom message).
    func mapping(_ node: Node, _ path: String, allowed: [String], special: [String: String] = [:]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping of keys (\(allowed.prefix(4).joined(separator: ", ")), …), found \(Self.describe(node))")
            return nil
        }
        source.record(path, line: Self.line(node))
        var values: [String: Node] = [:]
        var keyLines: [String: Int] = [:]
        var misspelled: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                error(keyNode, path, "a key must be plain text, found \(Self.describe(keyNode))")
                continue
            }
            let key = keyScalar.string
            let keyPath = Self.join(path, key)
            if let message = special[key] {
                error(keyNode, keyPath, message)
            } else if !allowed.contains(key) {
                if let meant = Suggestion.closest(to: key, in: allowed) { misspelled.insert(meant) }
                error(keyNode, keyPath, "unknown key \"\(key)\"" + Suggestion.hint(for: key, in: allowed)
                      + (Suggestion.closest(to: key, in: allowed) == nil ? "; allowed keys: \(allowed.joined(separator: ", "))" : ""))
            } else if values[key] != nil {
                error(keyNode, keyPath, "duplicate key \"\(key)\" (first at line \(keyLines[key] ?? 0)); keep one")
            } else {
                values[key] = value
                keyLines[key] = Self.line(keyNode)
                source.record(keyPath, line: Self.line(keyNode))
            }
        }
        return Fields(node: node, path: path, values: values, reader: self, misspelled: misspelled)
    }

    /// The items of a list at `path`, each with its own path `path[i]`.
    func sequence(_ node: Node, _ path: String) -> [(Node, String)]? {
        guard case .sequence(let sequence) = node else {
            error(node, path, "expected a list (`- item` lines or [a, b]), found \(Self.describe(node))")
            return nil
        }
        source.record(path, line: Self.line(node))
        return sequence.enumerated().map { index, item in
            let itemPath = "\(path)[\(index)]"
            source.record(itemPath, line: Self.line(item))
            return (item, itemPath)
        }
    }

    // MARK: Scalars

    func string(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a single value, found \(Self.describe(node))")
            return nil
        }
        if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            error(node, path, "value is empty; give a value or remove the key")
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node, _ path: String, in range: ClosedRange<Int>, what: String = "") -> Int? {
        guard let text = string(node, path) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            error(node, path, "expected a whole number\(what), found \"\(text.prefix(40))\"")
            return nil
        }
        guard range.contains(value) else {
            error(node, path, "\(value) is out of range; must be \(range.lowerBound)…\(range.upperBound)\(what)")
            return nil
        }
        return value
    }

    func double(_ node: Node, _ path: String) -> Double? {
        guard let text = string(node, path) else { return nil }
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            error(node, path, "expected a number, found \"\(text.prefix(40))\"")
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard let text = string(node, path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, path, "expected true or false, found \"\(text.prefix(40))\"")
            return nil
        }
    }

    /// A duration; `positive` refuses zero with the busy-loop explanation.
    func duration(_ node: Node, _ path: String, positive: Bool = false) -> Duration? {
        guard let text = string(node, path) else { return nil }
        // `0 s` and `-1 s` too: the number before the unit, spaces allowed as DurationText allows them.
        if positive, let value = Double(text.trimmingCharacters(in: .letters.union(.whitespaces))), value <= 0 {
            error(node, path, "interval must be > 0; a zero interval would busy-loop — use e.g. 1s")
            return nil
        }
        guard let duration = DurationText.parse(text) else {
            let hint = Double(text) != nil ? " (a bare number has no unit: write \(text)s or \(text)ms)" : ""
            error(node, path, "expected a duration like 250ms, 2s, 1m or 1h, found \"\(text.prefix(40))\"\(hint)")
            return nil
        }
        return duration
    }

    /// One of a fixed set of names, with a did-you-mean hint.
    func choice(_ node: Node, _ path: String, what: String, from names: [String]) -> String? {
        guard let text = string(node, path) else { return nil }
        if names.contains(text) { return text }
        if let exact = names.first(where: { $0.lowercased() == text.lowercased() }) { return exact }
        let hint = Suggestion.hint(for: text, in: names)
        error(node, path, "unknown \(what) \"\(text.prefix(40))\"" + (hint.isEmpty ? "; use one of: \(names.joined(separator: ", "))" : hint))
        return nil
    }

    func stringList(_ node: Node, _ path: String) -> [String]? {
        guard let items = sequence(node, path) else { return nil }
        let values = items.compactMap { string($0.0, $0.1) }
        return values.count == items.count ? values : nil
    }
}

/// A checked mapping: its known keys and the path they live under.
struct Fields {
    let node: Node
    let path: String
    let values: [String: Node]
    let reader: ConfigReader
    /// Keys that an unknown key was taken for a misspelling of (already reported with "did you mean").
    var misspelled: Set<String> = []

    var line: Int { ConfigReader.line(node) }

    subscript(key: String) -> Node? { values[key] }

    func path(_ key: String) -> String { ConfigReader.join(path, key) }

    /// The value of a required key, or an error naming the key to add.
    func required(_ key: String, example: String) -> Node? {
        if let value = values[key] { return value }
        if misspelled.contains(key) { return nil }
        reader.error(node, path, "missing required key \"\(key)\"; add `\(key): \(example)`")
        return nil
    }

    /// A required key's string or number, or nil once the missing key or the wrong kind of value is reported.
    func requiredString(_ key: String, example: String) -> String? { required(key, example: example).flatMap { reader.string($0, path(key)) } }
    func requiredDouble(_ key: String, example: String) -> Double? { required(key, example: example).flatMap { reader.double($0, path(key)) } }

    func string(_ key: String) -> String? { values[key].flatMap { reader.string($0, path(key)) } }
    func double(_ key: String) -> Double? { values[key].flatMap { reader.double($0, path(key)) } }
    func bool(_ key: String) -> Bool? { values[key].flatMap { reader.bool($0, path(key)) } }
    func int(_ key: String, in range: ClosedRange<Int>, what: String = "") -> Int? {
        values[key].flatMap { reader.int($0, path(key), in: range, what: what) }
    }
    func duration(_ key: String, positive: Bool = false) -> Duration? {
        values[key].flatMap { reader.duration($0, path(key), positive: positive) }
    }
    func choice(_ key: String, what: String, from names: [String]) -> String? {
        values[key].flatMap { reader.choice($0, path(key), what: what, from: names) }
    }
}
