import Foundation
import Glibc

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
        let temporary = path + ".tmp"
        let bytes = Array("\(sequence)\n".utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw BirthDeathStoreError(path: temporary, step: "create", errno: errno) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let failure = errno
            close(descriptor)
            throw BirthDeathStoreError(path: temporary, step: "write", errno: failure)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw BirthDeathStoreError(path: path, step: "rename", errno: errno) }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}

/// The bdSeq file could not be written.
public struct BirthDeathStoreError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let step: String
    public let errno: Int32

    public var description: String {
        "cannot \(step) \(path): \(String(cString: strerror(errno))); check that the state directory is writable by the service user"
    }
}
