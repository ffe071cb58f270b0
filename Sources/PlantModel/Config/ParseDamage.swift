import Yams

/// What the parse could not deliver, kept so that the whole-config checks still run on the rest
/// without misplacing an error (a dropped device shifts the indices after it) or repeating one (a
/// reference to a device that failed to parse is not a second mistake).
struct ParseDamage: Sendable {
    /// Things that failed to parse, as `bus:ID`, `device:ID`, `tag:DEVICE/TAG`, `fuel:NAME`; `bus:*`
    /// when the whole section failed.
    private(set) var broken: Set<String> = []
    /// Key paths that already carry a parse error.
    private(set) var errorPaths: [String] = []
    /// The written path of each parsed entry, by its index in the parsed config.
    var busPaths: [String] = []
    var devicePaths: [String] = []
    var linePaths: [String] = []
    /// Per parsed line, the written path of each parsed input.
    var inputPaths: [[String]] = []

    mutating func markBroken(_ kind: String, _ id: String?) { broken.insert("\(kind):\(id ?? "*")") }

    mutating func recordError(at path: String) { errorPaths.append(path) }

    /// Whether a reference to `id` (a bus, device, `device/tag` or fuel) points at something broken.
    func isBroken(_ kind: String, _ id: String) -> Bool {
        if broken.contains("\(kind):*") || broken.contains("\(kind):\(id)") { return true }
        if kind == "tag", let device = id.split(separator: "/").first {
            return broken.contains("device:\(device)") || broken.contains("device:*") || broken.contains("tag:\(device)/*")
        }
        return false
    }

    /// Whether a finding at `path` only restates a parse error in the same entry (the key itself, one
    /// of its parts, or the entry holding it). Whole sections (`site`, `mqtt`) are too wide to say so.
    func explains(_ path: String) -> Bool {
        errorPaths.contains { errorPath in
            Self.encloses(errorPath, path) || (Self.depth(path) >= 1 && Self.encloses(path, errorPath))
        }
    }

    static func encloses(_ outer: String, _ inner: String) -> Bool {
        guard inner.hasPrefix(outer) else { return false }
        let rest = inner.dropFirst(outer.count)
        return rest.isEmpty || rest.hasPrefix(".") || rest.hasPrefix("[")
    }

    static func depth(_ path: String) -> Int { path.filter { $0 == "." || $0 == "[" }.count }

    /// The `id:` of a mapping that failed to parse, when it can still be read.
    static func rawID(of node: Node) -> String? {
        guard case .mapping(let mapping) = node else { return nil }
        for (key, value) in mapping {
            if case .scalar(let keyScalar) = key, keyScalar.string == "id", case .scalar(let scalar) = value { return scalar.string }
        }
        return nil
    }
}
