import Foundation

/// `plantgate sim` as a child process, serving its scenario's first bus on `port` and its second on
/// `port + 1` (the lithium-hydroxide plant's `mcc` and `field`), on loopback.
public final class PlantSimulatorProcess: Sendable {
    public let process: BuiltExecutable
    /// The first bus's port; the second bus is on `port + 1`.
    public let port: Int

    private init(process: BuiltExecutable, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts `plantgate sim --scenario SCENARIO --listen 127.0.0.1:PORT ARGUMENTS…` on a free pair of
    /// ports and waits until both accept; tries another pair when one was taken meanwhile.
    public static func start(scenario: String = "lithium-hydroxide", arguments: [String] = [], directory: URL) async throws -> PlantSimulatorProcess {
        for _ in 0..<10 {
            let port = try FreePort.pair()
            let sim = try BuiltExecutable("plantgate", arguments: ["sim", "--scenario", scenario, "--listen", "127.0.0.1:\(port)"] + arguments,
                                          directory: directory)
            let up = await eventually(timeout: .seconds(10)) { !sim.child.isRunning || (FreePort.isAccepting(port) && FreePort.isAccepting(port + 1)) }
            if up, sim.child.isRunning { return PlantSimulatorProcess(process: sim, port: port) }
            await sim.kill()
            if !sim.log.contains("already in use") { throw TestSupportError("plantgate sim did not start: \(sim.log)") }
        }
        throw TestSupportError("plantgate sim did not start on a free pair of ports")
    }

    /// The `PLANTGATE_SIMULATED_CLOCK` value the simulator prints for an accelerated run
    /// (`daemon clock: PLANTGATE_SIMULATED_CLOCK=360@…@…`), waiting for the line; nil at real speed.
    public func daemonClock(timeout: Duration = .seconds(10)) async -> PlantClock? {
        let marker = "daemon clock: \(PlantClock.variable)="
        var value: String?
        _ = await eventually(timeout: timeout) {
            value = process.log.split(separator: "\n").first { $0.contains(marker) }
                .map { String($0[$0.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces) }
            return value != nil
        }
        return value.map(PlantClock.init(setting:))
    }

    public var log: String { process.log }

    /// SIGKILL (after SIGCONT, should a test have stopped it).
    public func kill() async {
        process.child.signal(SIGCONT)
        await process.kill()
    }
}

/// An accelerated plant clock for plantgated: `PLANTGATE_SIMULATED_CLOCK=SPEED@START@ANCHOR`, plant time
/// `START` at the real wall time `ANCHOR`, running `SPEED` times real time.
public struct PlantClock: Sendable, Hashable {
    public static let variable = "PLANTGATE_SIMULATED_CLOCK"
    /// `SPEED@START@ANCHOR`.
    public let setting: String

    public init(setting: String) { self.setting = setting }

    /// Plant time `start` at real time `anchor` (now by default).
    public init(speed: Double, start: Date, anchor: Date = Date()) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        setting = "\(speed)@\(formatter.string(from: start))@\(formatter.string(from: anchor))"
    }

    /// The environment plantgated runs with.
    public var environment: [String: String] { [Self.variable: setting] }
}
