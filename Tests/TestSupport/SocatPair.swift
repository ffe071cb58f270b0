import Foundation

/// A pair of linked pseudo-terminals made by socat: a real serial line for RTU tests.
public final class SocatPair: @unchecked Sendable {
    /// The two ends; what is written to one is read from the other.
    public let first: String
    public let second: String
    private let process: Process

    /// Starts socat and waits (bounded) until both links exist.
    public init(timeout: Double = 5) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pty-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        first = directory.appendingPathComponent("a").path
        second = directory.appendingPathComponent("b").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        process.arguments = ["-d", "pty,raw,echo=0,link=\(first)", "pty,raw,echo=0,link=\(second)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while !(FileManager.default.fileExists(atPath: first) && FileManager.default.fileExists(atPath: second)) {
            guard Date() < deadline, process.isRunning else {
                process.terminate()
                throw SocatError.notReady
            }
            usleep(10_000)
        }
    }

    /// Tears the pair down: both device nodes disappear, as an unplugged USB adapter's does.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

public enum SocatError: Error { case notReady }
