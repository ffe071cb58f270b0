import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A mosquitto for the benchmark: temp config, free loopback port, started with `posix_spawn` and an
/// empty signal mask (so SIGTERM is not left pending in the child).
final class BenchmarkBroker: Sendable {
    let port: Int
    let directory: String
    private let pid = Mutex<pid_t>(0)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-bench-broker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try FreePort.tcp()
        var lines = ["listener \(port) 127.0.0.1", "allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"]
        if geteuid() == 0 { lines.append("user root") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
        try start()
    }

    func start() throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/broker.log", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/broker.log", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [String] = ["/usr/sbin/mosquitto", "-c", directory + "/mosquitto.conf"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/usr/sbin/mosquitto", &actions, &attributes, argv, environ)
        guard rc == 0 else { throw BenchmarkFailure("cannot start /usr/sbin/mosquitto: \(String(cString: strerror(rc)))") }
        pid.withLock { $0 = child }
        for _ in 0..<500 where !FreePort.isAccepting(port) { usleep(10_000) }
        guard FreePort.isAccepting(port) else { throw BenchmarkFailure("mosquitto did not listen on port \(port) within 5 s") }
    }

    /// SIGTERM, then waits for the exit.
    func stop() {
        let child = pid.withLock { pid in defer { pid = 0 }; return pid }
        guard child > 0 else { return }
        kill(child, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(child, &status, 0)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
