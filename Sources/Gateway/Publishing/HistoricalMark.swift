/// Marks a replayed payload as historical: `{"v":1,...}` becomes `{"hist":true,"v":1,...}`.
///
/// The original fields (and so the original timestamp `t`) are kept byte for byte; only the flag is
/// inserted after the opening brace. Payloads that are not a JSON object, or already carry the flag
/// (a record re-sent after a restart and then replayed from the spool), are returned unchanged.
enum HistoricalMark {
    private static let flag = Array(#""hist":true"#.utf8)

    static func apply(_ payload: [UInt8]) -> [UInt8] {
        guard let brace = payload.firstIndex(where: { !isSpace($0) }), payload[brace] == UInt8(ascii: "{") else {
            return payload
        }
        let rest = payload[(brace + 1)...]
        if rest.starts(with: flag) { return payload }
        let isEmptyObject = rest.first(where: { !isSpace($0) }) == UInt8(ascii: "}")
        var marked: [UInt8] = []
        marked.reserveCapacity(payload.count + flag.count + 1)
        marked += payload[...brace]
        marked += flag
        if !isEmptyObject { marked.append(UInt8(ascii: ",")) }
        marked += rest
        return marked
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
