import Foundation
import POSIX
import PlantModel
import Synchronization

/// Splits of read requests that spanned registers a meter lacks, kept in `read-splits.json` in the state
/// directory so the next start of the same config reads the working parts at once instead of bisecting
/// again (and logging it again).
///
/// A split is keyed by the device, its endpoint and unit, the request and the tag paths it carries: any
/// change to those in the config makes it a different request, and the remembered split is not used.
public final class ReadSplitMemory: Sendable {
    struct Entry: Codable, Hashable {
        var device: String
        var endpoint: String
        var unit: Int
        var request: String
        var tags: [String]
        /// Register ranges of the parts, `[start, count]` each.
        var parts: [[Int]]

        func matches(_ other: Entry) -> Bool {
            device == other.device && endpoint == other.endpoint && unit == other.unit && request == other.request && tags == other.tags
        }
    }

    /// Full path of the file.
    public let path: String
    private let entries: Mutex<[Entry]>

    /// The memory in `directory`; starts empty when the file is missing or unreadable.
    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent("read-splits.json")
        let stored = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode([Entry].self, from: $0) }
        entries = Mutex(stored ?? [])
    }

    /// The remembered parts of `request`, rebuilt on today's tag indexes; nil when none fit.
    func parts(of request: ReadRequest, device: String, endpoint: String, unit: Int, tagPaths: [String]) -> [ReadRequest]? {
        let key = Entry(device: device, endpoint: endpoint, unit: unit, request: request.description, tags: tagPaths, parts: [])
        guard let entry = entries.withLock({ $0.first { $0.matches(key) } }) else { return nil }
        let ranges = entry.parts.compactMap { $0.count == 2 ? (start: $0[0], count: $0[1]) : nil }
        return BlockSplitter.parts(of: request, ranges: ranges)
    }

    /// Remembers a split and writes the file (temporary file, then rename: never a torn file).
    /// - Returns: nil, or why the file could not be written.
    func remember(_ request: ReadRequest, as parts: [ReadRequest], device: String, endpoint: String, unit: Int, tagPaths: [String]) -> String? {
        let entry = Entry(device: device, endpoint: endpoint, unit: unit, request: request.description, tags: tagPaths,
                          parts: parts.map { [$0.start, $0.count] })
        let all = entries.withLock { entries -> [Entry] in
            entries.removeAll { $0.matches(entry) }
            entries.append(entry)
            return entries
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try DurableFile.replace(path, bytes: Array(try encoder.encode(all)), mode: 0o644)
            return nil
        } catch let error as SystemCallError {
            return "cannot write \(path) (\(error.call)): \(error.reason)"
        } catch {
            return "cannot write \(path): \(error)"
        }
    }
}
