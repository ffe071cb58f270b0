import Logging

/// A swift-log handler that writes one line per event for systemd-journald to pick up from stderr.
///
/// Lines look like `<6>connected to broker broker=10.0.0.5:1883 device=pump-3`: a syslog priority
/// prefix that journald turns into the entry's priority (`SyslogLevelPrefix=` is on by default), the
/// message, then metadata as `key=value` sorted by key. No timestamp and no label: journald records
/// both. Values holding spaces, quotes or `=` are quoted; secret keys print `<redacted>`
/// (see ``MetadataRedaction``); newlines are escaped so one event is always one line.
public struct JournalLogHandler: LogHandler {
    /// How a line starts.
    public enum Prefix: Sendable, Equatable {
        /// `<3>` … `<7>`, for journald.
        case syslogPriority
        /// `error: ` … `debug: `, for a terminal.
        case levelName
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let prefix: Prefix
    private let redaction: MetadataRedaction
    private let sink: any LogLineSink

    /// Creates a handler; pass it to `LoggingSystem.bootstrap` as `{ JournalLogHandler(label: $0) }`.
    ///
    /// - Parameters:
    ///   - label: the logger label; not printed (journald records the unit), accepted for `bootstrap`.
    ///   - prefix: use ``preferredPrefix(environment:)`` to pick one for the current stderr.
    ///   - sink: stderr by default; inject a capturing sink in tests.
    public init(
        label: String,
        logLevel: Logger.Level = .info,
        prefix: Prefix = .syslogPriority,
        redaction: MetadataRedaction = .secrets,
        sink: any LogLineSink = StandardErrorSink.shared,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.logLevel = logLevel
        self.prefix = prefix
        self.redaction = redaction
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    /// `.syslogPriority` when systemd connected stderr to the journal (`$JOURNAL_STREAM` is set),
    /// `.levelName` otherwise, so `plantgated` run by hand prints readable lines.
    public static func preferredPrefix(environment: [String: String]) -> Prefix {
        environment["JOURNAL_STREAM"] == nil ? .levelName : .syslogPriority
    }

    /// The syslog priority journald stores for `level`: 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    public static func syslogPriority(for level: Logger.Level) -> Int {
        switch level {
        case .critical, .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Precedence as swift-log documents it: handler metadata < provider < the call's own metadata.
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string("\(error)")
        }
        self.sink.write(line: self.format(level: event.level, message: event.message.description, metadata: merged))
    }

    /// Renders one event as the exact line written to the sink, newline included.
    public func format(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line: String
        switch self.prefix {
        case .syslogPriority: line = "<\(Self.syslogPriority(for: level))>"
        case .levelName: line = "\(level.rawValue): "
        }
        line += Self.escapingLineBreaks(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            let rendered = self.redaction.redacts(key: key) ? MetadataRedaction.placeholder : self.render(value)
            line += " \(key)=\(Self.quotedIfNeeded(rendered))"
        }
        return line + "\n"
    }

    private func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let elements): "[" + elements.map { self.render($0) }.joined(separator: ", ") + "]"
        case .dictionary(let nested):
            "[" + nested.keys.sorted().compactMap { key in
                nested[key].map { "\(key): " + (self.redaction.redacts(key: key) ? MetadataRedaction.placeholder : self.render($0)) }
            }.joined(separator: ", ") + "]"
        }
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
        return "\"" + escapingLineBreaks(escaped) + "\""
    }

    private static func escapingLineBreaks(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.replacingAll("\r\n", with: "\\n").replacingAll("\n", with: "\\n").replacingAll("\r", with: "\\r")
    }
}

extension String {
    /// `replacingOccurrences(of:with:)` without Foundation.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
