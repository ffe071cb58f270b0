import Foundation
import Glibc
import POSIX
import Testing

/// The system-call layer against the real kernel: errno is the call's own, names reach /proc, the Unix
/// socket calls carry bytes both ways.
@Suite("POSIX layer")
struct POSIXTests {
    @Test func aFailedCallThrowsItsOwnErrno() {
        #expect(throws: SystemCallError(call: "close", code: EBADF)) { try SystemCall.run("close") { close(-1) } }
        let (result, code) = SystemCall.attempt { close(-1) }
        #expect(result == -1 && code == EBADF)
        #expect(SystemCallError(call: "close", code: EBADF).description == "close failed: \(String(cString: strerror(EBADF)))")
    }

    @Test func aThreadNameReachesTheKernelCutTo15Bytes() throws {
        let comm = try Thread.runAndWait {
            ThreadName.setCurrent("posix-test-thread-name")
            return try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
        }
        #expect(comm == "posix-test-thre\n")
    }

    @Test func socketPathsMustFitSunPath() {
        #expect(UnixSocketAddress(path: "") == nil)
        #expect(UnixSocketAddress(path: "/" + String(repeating: "a", count: UnixSocketAddress.capacity)) == nil)
        #expect(UnixSocketAddress(path: "/run/plantgate/control.sock") != nil)
    }

    @Test func aStreamSocketCarriesALineBothWays() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("posix-\(UUID().uuidString.prefix(8)).sock").path
        defer { unlink(path) }
        let address = try #require(UnixSocketAddress(path: path))
        let listener = try UnixSocket.open(.stream)
        defer { close(listener) }
        try UnixSocket.listen(listener, at: address, backlog: 1)
        let client = try UnixSocket.open(.stream)
        defer { close(client) }
        UnixSocket.setTimeouts(client, seconds: 2)
        try UnixSocket.connect(client, to: address)
        let server = accept(listener, nil, nil)
        defer { close(server) }
        try UnixSocket.sendAll(client, Array("status\n".utf8))
        var buffer = [UInt8](repeating: 0, count: 64)
        let (count, failure) = buffer.withUnsafeMutableBytes { UnixSocket.receive(server, into: $0) }
        #expect(failure == nil && Array(buffer[0..<count]) == Array("status\n".utf8))
        // Nothing comes back within the timeout: EAGAIN, told apart as "would block".
        let (none, waited) = buffer.withUnsafeMutableBytes { UnixSocket.receive(client, into: $0) }
        #expect(none == -1 && waited?.call == "recv" && waited?.wouldBlock == true)
    }

    @Test func connectingToNobodyIsRefusedOrMissing() throws {
        let address = try #require(UnixSocketAddress(path: "/nonexistent-\(UUID().uuidString.prefix(8)).sock"))
        let fd = try UnixSocket.open(.stream)
        defer { close(fd) }
        #expect(throws: SystemCallError(call: "connect", code: ENOENT)) { try UnixSocket.connect(fd, to: address) }
    }

    @Test func memoryReleaseIsSafeToCall() {
        #expect(MemoryRelease.pageOutAdvice == 21)
        MemoryRelease.trimMalloc()
    }
}

extension Thread {
    /// Runs `body` on a new thread (so a thread name set there cannot rename the test runner's) and waits.
    static func runAndWait<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) throws -> Result {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Swift.Result<Result, any Error>?
        let thread = Thread {
            outcome = Swift.Result { try body() }
            done.signal()
        }
        thread.start()
        done.wait()
        return try outcome!.get()
    }
}
