import Foundation
import Gateway
import Testing
import TestSupport

@Suite("One daemon per state directory: the lock itself")
struct StateDirectoryLockTests {
    @Test("a second lock on the same directory is refused naming the holder's pid; released with its holder")
    func secondLockIsRefusedUntilTheFirstIsGone() throws {
        let directory = try temporaryDirectory().appendingPathComponent("state").path
        var first: StateDirectoryLock? = try StateDirectoryLock(directory: directory)
        #expect(first != nil)
        let lockFile = try String(contentsOfFile: StateDirectoryLock.path(in: directory), encoding: .utf8)
        #expect(lockFile == "\(getpid())\n")

        #expect { try StateDirectoryLock(directory: directory) } throws: { error in
            guard let error = error as? StateDirectoryLockError, case .held(let held, let pid) = error else { return false }
            return held == directory && pid == getpid()
                && "\(error)".contains("plantgated is already running (pid \(getpid())) on state directory \(directory)")
        }

        first = nil
        let again = try takeReleasedLock { try StateDirectoryLock(directory: directory) }
        #expect(again.directory == directory)
    }

    @Test("an unwritable place is named with the fix, not reported as another daemon")
    func unwritableDirectory() throws {
        let file = try temporaryDirectory().appendingPathComponent("not-a-directory")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        #expect { try StateDirectoryLock(directory: file.path) } throws: { error in
            guard let error = error as? StateDirectoryLockError, case .system = error else { return false }
            return "\(error)".contains(file.path) && "\(error)".contains("StateDirectory=plantgate")
        }
    }
}
