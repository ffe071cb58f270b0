/// The revision of a configuration: a hash of its exact text (FNV-1a 64, 16 hex digits, zero-padded so
/// that it reads and sorts the same in status, the log and `src.rev`), shown by `plantgate status` and
/// carried in raw values' provenance so a figure can be traced to the config that made it.
public enum SourceRevision {
    /// The revision of `text`.
    public static func of(text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
