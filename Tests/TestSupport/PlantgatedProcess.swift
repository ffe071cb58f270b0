import Foundation

/// The built `plantgated` (or `plantgate`) executable run as a real child process, with its log captured.
public final class BuiltExecutable: @unchecked Sendable {
    public let child: ChildProcess
    public let logPath: String
    public let directory: URL

    /// `.build/debug/<name>` of this package; tests need `swift build` to have run first.
    public static func path(_ name: String, file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent(".build/debug/\(name)").path
    }

    /// Starts the executable; `environment` adds to the test's own. With `privateCopy` it runs a copy in
    /// `directory`, so its pages are its own and not shared with other tests' processes (memory tests).
    public init(_ name: String, arguments: [String], directory: URL, environment: [String: String] = [:], privateCopy: Bool = false) throws {
        var executable = Self.path(name)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestSupportError("\(executable) is missing: run `swift build` before `swift test`")
        }
        if privateCopy {
            let copy = directory.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: executable, toPath: copy)
            executable = copy
        }
        self.directory = directory
        logPath = directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).log").path
        // A fresh copy can be briefly "text file busy": a child another test forks while the copy is open
        // for writing holds that descriptor until it execs. It clears within milliseconds.
        var attempt = 0
        while true {
            do {
                child = try ChildProcess.spawn(executable, arguments, outputPath: logPath, errorPath: logPath, environment: environment)
                break
            } catch where privateCopy && attempt < 50 && "\(error)".contains(String(cString: strerror(ETXTBSY))) {
                attempt += 1
                usleep(20_000)
            }
        }
    }

    /// Everything it wrote to stdout and stderr so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit status (SIGKILL after `timeout`, the log's end written to stderr so
    /// the failing test's output says where the stop hung).
    public func terminate(timeout: Duration = .seconds(15)) async -> Int32? {
        child.signal(SIGTERM)
        if await child.waitForExit(timeout: timeout) { return child.exitCode }
        let tail = log.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
        FileHandle.standardError.write(Data("\(logPath): still running \(timeout) after SIGTERM; SIGKILL. Its log ends:\n\(tail)\n".utf8))
        child.signal(SIGKILL)
        _ = await child.waitForExit(timeout: .seconds(5))
        return nil
    }

    public func kill() async {
        child.signal(SIGKILL)
        _ = await child.waitForExit(timeout: .seconds(5))
    }

    deinit { child.signal(SIGKILL) }
}

/// A fresh temporary directory for one test.
public func temporaryDirectory(_ prefix: String = "plantgate-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
