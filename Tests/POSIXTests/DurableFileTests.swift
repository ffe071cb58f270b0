import Foundation
import Glibc
import POSIX
import Testing
import TestSupport

/// Durable small files and the exclusive lock against the real file system.
@Suite("POSIX durable files and file locks")
struct DurableFileTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func createWritesTheBytesWithItsModeAndRefusesAnExistingFile() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        let bytes = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        try DurableFile.create(path, bytes: bytes, mode: 0o600)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == bytes)
        #expect(Self.mode(path) == 0o600)
        #expect(throws: SystemCallError(call: "open", code: EEXIST)) { try DurableFile.create(path, bytes: [1], mode: 0o600) }
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == bytes, "the existing file is left as it was")
    }

    @Test func replaceSwapsTheContentAndLeavesNoTemporaryFile() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/seq"
        try DurableFile.replace(path, bytes: Array("7\n".utf8), mode: 0o640)
        try DurableFile.replace(path, bytes: Array("8\n".utf8), mode: 0o640)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "8\n")
        #expect(Self.mode(path) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["seq"])
    }

    @Test func aMissingDirectoryIsTheOpenCallsENOENT() {
        #expect(throws: SystemCallError(call: "open", code: ENOENT)) {
            try DurableFile.replace("/nonexistent-\(UUID().uuidString.prefix(8))/seq", bytes: [1], mode: 0o644)
        }
    }

    @Test func moveAndRemove() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DurableFile.create(directory + "/a", bytes: [1, 2], mode: 0o600)
        try DurableFile.move(directory + "/a", to: directory + "/b")
        #expect(FileManager.default.contents(atPath: directory + "/b").map(Array.init) == [1, 2])
        try DurableFile.remove(directory + "/b")
        try DurableFile.remove(directory + "/b")  // already gone: no error
        #expect(throws: SystemCallError(call: "rename", code: ENOENT)) { try DurableFile.move(directory + "/a", to: directory + "/c") }
    }

    @Test func aSecondLockIsRefusedWithTheHoldersNoteUntilTheFirstGoes() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/daemon.lock"
        var first: ExclusiveFileLock? = try ExclusiveFileLock(path: path)
        first?.write(note: "4242\n")
        // flock locks belong to the open file: a second open in the same process conflicts too.
        #expect(throws: ExclusiveFileLock.Failure.held(note: "4242\n")) { try ExclusiveFileLock(path: path) }
        first = nil
        let again = try takeReleasedLock { try ExclusiveFileLock(path: path) }
        again.write(note: "1\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1\n", "the note replaces the old one whole")
        #expect(throws: ExclusiveFileLock.Failure.system(SystemCallError(call: "open", code: ENOENT))) {
            try ExclusiveFileLock(path: directory + "/missing/daemon.lock")
        }
    }
}
