import Foundation

/// A pair of linked pseudo-terminals made by socat: a real serial line for RTU tests.
public final class SocatPair: @unchecked Sendable {
    /// The two ends; what is written to one is read from the other.
    public let first: String
    public let second: String
    private let child: ChildProcess
    private let directory: URL
    /// A directory the caller chose outlives the pair (a replugged adapter reappears at the same paths).
    private let ownsDirectory: Bool

    /// Starts socat and waits (bounded) until both links exist: `<directory>/a` and `<directory>/b`,
    /// in a fresh temporary directory unless `linksIn` names one (to recreate a pair at the same paths).
    public init(linksIn chosen: URL? = nil, timeout: Double = 5) throws {
        directory = chosen ?? FileManager.default.temporaryDirectory.appendingPathComponent("pty-\(UUID().uuidString.prefix(8))")
        ownsDirectory = chosen == nil
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        first = directory.appendingPathComponent("a").path
        second = directory.appendingPathComponent("b").path
        let log = directory.appendingPathComponent("socat.log").path
        child = try ChildProcess.spawn("/usr/bin/socat", ["-d", "pty,raw,echo=0,link=\(first)", "pty,raw,echo=0,link=\(second)"],
                                       outputPath: log, errorPath: log)
        let deadline = Date().addingTimeInterval(timeout)
        while !(FileManager.default.fileExists(atPath: first) && FileManager.default.fileExists(atPath: second)) {
            guard Date() < deadline, child.isRunning else {
                child.signal(SIGKILL)
                throw TestSupportError("socat did not create \(first) and \(second) within \(timeout) s")
            }
            usleep(10_000)
        }
    }

    /// Tears the pair down: both device nodes disappear, as an unplugged USB adapter's does.
    public func stop() {
        child.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(3)
        while child.isRunning, Date() < deadline { usleep(5_000) }
        if child.isRunning { child.signal(SIGKILL) }
    }

    deinit {
        stop()
        if ownsDirectory { try? FileManager.default.removeItem(at: directory) }
    }
}
