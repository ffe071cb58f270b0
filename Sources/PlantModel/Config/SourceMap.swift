/// Where each key path of a loaded config sits in its file, so that checks made after parsing
/// (references, overlaps, bus load) can still name file:line.
public struct SourceMap: Sendable, Hashable {
    public var file: String
    public private(set) var lines: [String: Int] = [:]

    public init(file: String = "plantgate.yaml") {
        self.file = file
    }

    /// Records the line of a key path (the first record wins).
    public mutating func record(_ path: String, line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// The line of `path`, or of its nearest recorded parent; 0 when unknown.
    public func line(of path: String) -> Int {
        var current = Substring(path)
        while !current.isEmpty {
            if let line = lines[String(current)] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = current[..<cut]
        }
        return 0
    }
}
