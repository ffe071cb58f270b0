/// One finding about a configuration: where it is (file, line, key path), what is wrong and the fix.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Errors stop a config from loading; warnings are reported and the config still runs.
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var severity: Severity
    public var file: String
    /// 1-based line; 0 when the finding has no single place (e.g. a whole-bus estimate with no source).
    public var line: Int
    /// 1-based column, for findings about the text itself (invalid UTF-8); 0 when not given.
    public var column: Int = 0
    /// Key path such as `devices[1].tags.freq.type`; empty for the whole document.
    public var path: String
    /// What is wrong and, after `; `, how to fix it.
    public var message: String

    public init(severity: Severity = .error, file: String, line: Int, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    /// `plantgate.yaml:23: devices[1].tags.freq.type: unknown type "flaot32"; did you mean "float32"?`
    public var description: String {
        var text = line > 0 ? "\(file):\(line): " : "\(file): "
        if line > 0, column > 0 { text = "\(file):\(line):\(column): " }
        if severity == .warning { text += "warning: " }
        if !path.isEmpty { text += "\(path): " }
        return text + message
    }
}

/// All the errors (and warnings) found in one configuration, reported together.
public struct ConfigDiagnostics: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ConfigDiagnostic]
    public var warnings: [ConfigDiagnostic]

    public init(errors: [ConfigDiagnostic] = [], warnings: [ConfigDiagnostic] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// Every finding in file order, errors before warnings on the same line.
    public var all: [ConfigDiagnostic] {
        (errors + warnings).sorted { ($0.line, $0.severity == .warning ? 1 : 0) < ($1.line, $1.severity == .warning ? 1 : 0) }
    }

    /// One finding per line, then a count, as `plantgate check` prints them.
    public var description: String {
        let lines = all.map(\.description)
        let count = "\(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
        return (lines + [count]).joined(separator: "\n")
    }
}
