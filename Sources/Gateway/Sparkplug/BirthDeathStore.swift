import Foundation
import Glibc
import POSIX

/// The Sparkplug `bdSeq` of the newest will, kept in `sparkplug-bdseq` in the state directory so the
/// next process continues the sequence (NDEATH after a crash carries the NBIRTH's bdSeq; the next
/// start uses that + 1).
///
/// Written atomically: temporary file, fsync, rename, fsync of the directory. A crash leaves the old
/// value or the new one, never a torn file.
public struct BirthDeathStore: Sendable {
    /// Full path of the file.
    public let path: String

    /// The store in `directory` (created if missing).
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("sparkplug-bdseq")
    }

    /// The stored bdSeq; nil when there is none yet or the file does not hold 0–255.
    public func load() -> UInt8? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return UInt8(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Replaces the stored bdSeq.
    /// - Throws: `BirthDeathStoreError` naming the file and the failed step.
    public func save(_ sequence: UInt8) throws(BirthDeathStoreError) {
        do throws(SystemCallError) {
            try DurableFile.replace(path, bytes: Array("\(sequence)\n".utf8), mode: 0o640)
        } catch {
            throw BirthDeathStoreError(path: path, step: error.call, errno: error.code)
        }
    }
}

/// The bdSeq file could not be written.
public struct BirthDeathStoreError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let step: String
    public let errno: Int32

    public var description: String {
        "cannot write \(path) (\(step)): \(String(cString: strerror(errno))); check that the state directory is writable by the service user"
    }
}
