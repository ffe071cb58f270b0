import Foundation
import Glibc
import POSIX
import Synchronization
import Testing

@Suite("POSIX joinable threads and listening socket files")
struct ThreadAndSocketFileTests {
    final class Flags: Sendable {
        let release = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        let joiners = Atomic<Int>(0)
        let sawUnfinished = Atomic<Bool>(false)
        let name = Mutex<String>("")
    }

    @Test func joinReturnsOnlyOnceTheBodyHasEndedForEveryCaller() throws {
        let flags = Flags()
        let worker = try JoinableThread(name: "test-joinable") {
            while !flags.release.load(ordering: .acquiring) { usleep(1_000) }
            flags.finished.store(true, ordering: .releasing)
        }
        let others = try (0..<3).map { _ in
            try JoinableThread(name: "test-joiner") {
                worker.join()
                if !flags.finished.load(ordering: .acquiring) { flags.sawUnfinished.store(true, ordering: .relaxed) }
                flags.joiners.add(1, ordering: .relaxed)
            }
        }
        usleep(50_000)
        let joinedEarly = flags.joiners.load(ordering: .relaxed)
        #expect(joinedEarly == 0, "join returned while the body still ran")
        flags.release.store(true, ordering: .releasing)
        worker.join()
        for other in others { other.join() }
        let finished = flags.finished.load(ordering: .acquiring)
        let joiners = flags.joiners.load(ordering: .relaxed)
        let sawUnfinished = flags.sawUnfinished.load(ordering: .relaxed)
        #expect(finished && joiners == 3 && !sawUnfinished)
    }

    @Test func theThreadCarriesItsNameInTheKernel() throws {
        let flags = Flags()
        let thread = try JoinableThread(name: "bus-mcc-and-more") {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            flags.name.withLock { $0 = comm.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        thread.join()
        let name = flags.name.withLock { $0 }
        #expect(name == "bus-mcc-and-mor", "cut to the kernel's 15 bytes")
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sock-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func bindsOverAStaleFileRefusesALiveOneAndRemovesOnlyItsOwn() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run/plantgate/control.sock"
        // A stale file where the socket goes (a daemon killed with SIGKILL leaves one).
        try FileManager.default.createDirectory(atPath: directory + "/run/plantgate", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data())

        let first = try ListeningSocketFile.bind(path: path, mode: 0o660, backlog: 4)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK && info.st_mode & 0o777 == 0o660)
        #expect(throws: ListeningSocketFile.Failure.inUse) { try ListeningSocketFile.bind(path: path, mode: 0o660, backlog: 4) }

        // Another server takes the name over (the first one's file was removed by hand); the first one's close
        // must leave the new file alone.
        unlink(path)
        let second = try ListeningSocketFile.bind(path: path, mode: 0o600, backlog: 4)
        first.close()
        #expect(stat(path, &info) == 0, "closing the first socket removed the second one's file")
        second.close()
        #expect(stat(path, &info) != 0, "a socket's own file is removed at close")
    }

    @Test func aPathTooLongForSockaddrUnIsNamedAsSuch() {
        let path = "/tmp/" + String(repeating: "p", count: 120) + "/control.sock"
        #expect(throws: ListeningSocketFile.Failure.pathTooLong) { try ListeningSocketFile.bind(path: path, mode: 0o660, backlog: 4) }
    }
}
