import Foundation
import POSIX

/// Hands the memory only start-up needed back to the kernel, phase by phase.
///
/// Start-up runs code the poll loop never runs again: the Swift runtime's and the argument parser's set-up,
/// the YAML parse and plan compile, SQLite migrations, the first connections. The kernel maps 64 KB of the
/// executable around every page fault, so each phase leaves several MB of file pages resident. Releasing
/// them at the end of each phase (`MADV_PAGEOUT`), not only once the daemon runs, keeps the phases from
/// adding up: the start-up peak is the largest phase, not their sum (25 → 19–20 MB for the race's
/// 1,000-register plant, docs/performance.md). What a later phase needs is read back from the file.
public enum StartupPages {
    /// The points `plantgated` releases at, in order.
    public enum Phase: String, Sendable {
        case runtime = "runtime and arguments"
        case configuration
        case start = "start of the plant"
        case startup = "start-up"
    }

    /// Best effort: a kernel without `MADV_PAGEOUT` answers EINVAL and keeps the pages. Returns the
    /// process's file-backed resident kilobytes before and after.
    @discardableResult
    public static func release(after phase: Phase) -> (before: Int, after: Int) {
        let before = residentFileKilobytes()
        MemoryRelease.trimMalloc()
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return (before, before) }
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode path; file mappings only (inode not 0).
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[4] != "0", fields[1].hasSuffix("p") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start else { continue }
            // Private file mappings: clean pages are read back from the file if needed. In the writable
            // data sections only the pages never written are clean; the written ones are anonymous and
            // stay (there is no swap on an edge box, and with swap they would come back on first use).
            MemoryRelease.pageOut(start: start, length: Int(end - start))
        }
        return (before, residentFileKilobytes())
    }

    /// `RssFile` of /proc/self/status; 0 when it cannot be read.
    static func residentFileKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }) else { return 0 }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
    }
}
