import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real mosquitto broker for one test: its own temp directory, config, loopback port(s) and log.
///
/// Start it with `MosquittoBroker.start(...)`; it stops when deallocated. Tests run in parallel,
/// each with its own broker. `@unchecked Sendable`: the child process reference is only touched under `lock`.
public final class MosquittoBroker: @unchecked Sendable {
    /// What the broker should enforce.
    public struct Configuration: Sendable {
        /// Accept clients without a username.
        public var allowAnonymous: Bool
        /// Username → password, written to a password file with `mosquitto_passwd -b`.
        public var users: [String: String]
        /// Contents of an ACL file (`user alice` / `topic readwrite plant/#` lines), if any.
        public var acl: String?
        /// Add a TLS listener using these certificates.
        public var tls: TestCertificates?
        /// On the TLS listener, demand a client certificate and use its CN as the username.
        public var requireClientCertificate: Bool
        /// Keep sessions and retained messages on disk across restarts.
        public var persistence: Bool
        /// Further `mosquitto.conf` lines (e.g. `max_queued_messages 0` so a persistent subscriber's
        /// queue is not the thing that drops messages in an outage test).
        public var extraSettings: [String]

        /// A configuration; the default is an anonymous plain-TCP broker without persistence.
        public init(
            allowAnonymous: Bool = true, users: [String: String] = [:], acl: String? = nil,
            tls: TestCertificates? = nil, requireClientCertificate: Bool = false, persistence: Bool = false,
            extraSettings: [String] = []
        ) {
            self.allowAnonymous = allowAnonymous
            self.users = users
            self.acl = acl
            self.tls = tls
            self.requireClientCertificate = requireClientCertificate
            self.persistence = persistence
            self.extraSettings = extraSettings
        }
    }

    /// The plain MQTT listener on 127.0.0.1.
    public let port: Int
    /// The TLS listener on 127.0.0.1, if configured.
    public let tlsPort: Int?
    /// Temp directory with `mosquitto.conf`, `passwd`, `acl`, `broker.log` and the persistence DB.
    public let directory: String
    /// The configuration it was started with.
    public let configuration: Configuration

    private let lock = NSLock()
    private var process: ChildProcess?

    private var logPath: String { directory + "/broker.log" }
    private var configPath: String { directory + "/mosquitto.conf" }

    private init(port: Int, tlsPort: Int?, directory: String, configuration: Configuration) {
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        self.configuration = configuration
    }

    /// Writes the config, starts `/usr/sbin/mosquitto` on free loopback port(s) and waits (with a
    /// deadline, no fixed sleep) until it accepts connections. Retries with new ports if one was taken.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> MosquittoBroker {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("plantgate-broker-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let broker = MosquittoBroker(
                port: try FreePort.tcp(), tlsPort: configuration.tls == nil ? nil : try FreePort.tcp(),
                directory: directory, configuration: configuration)
            do {
                try await broker.writeFiles()
                try await broker.start()
                return broker
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestSupportError("mosquitto did not start")
    }

    deinit {
        lock.withLock {
            if let process, process.isRunning {
                process.signal(SIGKILL)
                var status: Int32 = 0
                _ = waitpid(process.pid, &status, 0)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Everything the broker logged so far (all log types, including client connects and subscribes).
    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Whether the broker process is alive.
    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// Starts (or starts again) the broker on the same port(s) and waits until it accepts connections.
    public func start() async throws {
        let process = try ChildProcess.spawn(
            "/usr/sbin/mosquitto", ["-c", configPath], outputPath: logPath, errorPath: logPath)
        lock.withLock { self.process = process }

        let ports = [port] + (tlsPort.map { [$0] } ?? [])
        let ready = await eventually(timeout: .seconds(5), pollInterval: .milliseconds(10)) {
            !process.isRunning || ports.allSatisfy(FreePort.isAccepting)
        }
        guard ready, process.isRunning else {
            process.signal(SIGKILL)
            throw TestSupportError("mosquitto did not accept connections on \(ports) within 5 s. Log:\n\(log)")
        }
    }

    /// Stops the broker with SIGTERM (it saves persistence) and waits until it has exited.
    public func stop() async {
        await signal(SIGTERM)
    }

    /// Kills the broker with SIGKILL: no goodbye to clients, no persistence save.
    public func kill() async {
        await signal(SIGKILL)
    }

    /// Freezes the broker (SIGSTOP): connections stay open, nothing is read or acknowledged until `resume()`.
    public func suspend() {
        lock.withLock { self.process }?.signal(SIGSTOP)
    }

    /// Lets a suspended broker run on (SIGCONT): it then reads what clients sent meanwhile.
    public func resume() {
        lock.withLock { self.process }?.signal(SIGCONT)
    }

    /// Stops the broker and starts it again on the same port(s).
    public func restart() async throws {
        await stop()
        try await start()
    }

    private func signal(_ signal: Int32) async {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        process.signal(signal)
        if await !process.waitForExit(timeout: .seconds(5)) {
            process.signal(SIGKILL)
            _ = await process.waitForExit(timeout: .seconds(5))
        }
    }

    private func writeFiles() async throws {
        var lines = [
            "per_listener_settings false",
            "allow_anonymous \(configuration.allowAnonymous)",
            "log_dest stderr",
            "log_type all",
            "connection_messages true",
            "log_timestamp true",
        ]
        if geteuid() == 0 { lines.append("user root") }  // otherwise mosquitto drops to user 'mosquitto'
        if !configuration.users.isEmpty {
            let passwordFile = directory + "/passwd"
            for (index, (user, password)) in configuration.users.sorted(by: { $0.key < $1.key }).enumerated() {
                try await ProcessRunner.runChecked(
                    "/usr/bin/mosquitto_passwd", (index == 0 ? ["-c"] : []) + ["-b", passwordFile, user, password])
            }
            lines.append("password_file \(passwordFile)")
        }
        if let acl = configuration.acl {
            let aclFile = directory + "/acl"
            try acl.write(toFile: aclFile, atomically: true, encoding: .utf8)
            lines.append("acl_file \(aclFile)")
        }
        if configuration.persistence {
            lines += ["persistence true", "persistence_location \(directory)/", "autosave_interval 1"]
        }
        lines += configuration.extraSettings
        lines.append("listener \(port) 127.0.0.1")
        if let tls = configuration.tls, let tlsPort {
            lines += [
                "listener \(tlsPort) 127.0.0.1",
                "cafile \(tls.caFile)",
                "certfile \(tls.serverCertificateFile)",
                "keyfile \(tls.serverKeyFile)",
            ]
            if configuration.requireClientCertificate {
                lines += ["require_certificate true", "use_identity_as_username true"]
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
    }
}
