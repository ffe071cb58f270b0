import Foundation
import TestSupport
import Testing

/// `status` and `watch` on an 80×24 terminal (a tmux pane), against the simulated lithium plant polled
/// by a running plantgated: nothing wraps, nothing scrolls off, refreshes leave no scrollback.
@Suite("plantgate status and watch fit an 80x24 terminal", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
struct ScreenFitTests {
    @Test func statusAndWatchFitAndWatchRefreshesInPlace() async throws {
        let plant = try await SimulatedPlant.start()
        defer { plant.stop() }
        #expect(await plant.allUp())
        let plantgate = PlantgateBinary.path

        // status: the whole page on one screen (its own pane, as a technician's terminal), no line wider than it.
        let tmux = try await Tmux.start(columns: 80, rows: 24, command: "TERM=xterm \(plantgate) status -c \(plant.config); echo EXIT $?; sleep 120")
        #expect(await eventually(timeout: .seconds(10)) { (try? await tmux.capture())?.contains { $0.hasPrefix("EXIT ") } == true })
        let status = try await tmux.capture()
        #expect(status.first?.hasPrefix("plantgated ") == true, "the first line is still on screen: \(status)")
        #expect(status.count <= 24 && status.last == "EXIT 0", "\(status)")
        #expect(status.allSatisfy { $0.count <= 80 }, "\(status)")
        #expect(try await tmux.historySize() == 0, "nothing scrolled off: \(status)")
        #expect(status.contains { $0.hasPrefix("pm-main ") } && status.contains { $0.hasPrefix("scale-product ") })
        #expect(status.contains { $0.hasPrefix("line lioh-1") } && status.contains { $0.hasPrefix("  power_kw ") })
        await tmux.stop()

        // watch: redrawn in place; the header stays on top; the scrollback stays empty.
        let watchPane = try await Tmux.start(columns: 80, rows: 24, command: "bash --norc --noprofile")
        // Long enough (20 s) that a capture slowed by a loaded machine still lands while it runs.
        try await watchPane.run("TERM=xterm \(plantgate) watch -c \(plant.config) --interval 100ms --count 200")
        #expect(await eventually(timeout: .seconds(15)) { (try? await watchPane.capture())?.first?.contains("/200") == true })
        let page = try await watchPane.capture()
        #expect(page.first?.hasPrefix("plantgate watch, every 100ms") == true, "\(page)")
        #expect(page.count <= 24 && page.allSatisfy { $0.count <= 80 }, "\(page)")
        #expect(page.contains { $0.hasPrefix("TAG ") })
        #expect(page.last?.hasPrefix("… ") == true, "the rows that do not fit are counted: \(page)")
        #expect(try await watchPane.historySize() == 0)
        #expect(await eventually(timeout: .seconds(60)) { (try? await watchPane.capture())?.contains { $0.contains("watch -c") } == true },
                "the normal screen comes back after the last refresh")
        #expect(try await watchPane.historySize() == 0, "no copy of the table in the scrollback")
        await watchPane.stop()
    }

    @Test func badValueAgeCountsFromTheLastGoodReading() async throws {
        // pm-aux stops answering 3 s into the run and stays silent.
        let plant = try await SimulatedPlant.start(extra: ["--fault", "pm-aux:timeout@3s"])
        defer { plant.stop() }
        var ages: [String] = []
        let growing = await eventually(timeout: .seconds(30)) {
            guard let watch = try? await PlantgateBinary.run(["watch", "-c", plant.config, "--device", "pm-aux", "--count", "1"]),
                  let line = watch.outputLines.first(where: { $0.contains("pm-aux/energy_import") && $0.contains(" bad ") }),
                  let age = line.split(separator: " ").first(where: { $0.hasPrefix("age=") }) else { return false }
            ages.append(String(age))
            // Seconds since the last good value: at least 4 s once the device has been silent that long.
            return Double(age.dropFirst(4).dropLast()).map { $0 >= 4 } ?? false
        }
        #expect(growing, "ages seen: \(ages)")
    }
}

/// A tmux server of its own with one pane of a fixed size.
struct Tmux: Sendable {
    let socket = "plantgate-test-\(UUID().uuidString.prefix(8))"

    /// A pane running `command` (a shell command line) without NO_COLOR.
    static func start(columns: Int, rows: Int, command: String) async throws -> Tmux {
        let tmux = Tmux()
        try await tmux.tmux(["new-session", "-d", "-s", "t", "-x", "\(columns)", "-y", "\(rows)", "env -u NO_COLOR PS1='$ ' \(command)"])
        return tmux
    }

    /// Types `command` and Enter into the pane.
    func run(_ command: String) async throws { try await tmux(["send-keys", "-t", "t", command, "Enter"]) }

    /// The visible screen, wrapped lines joined (so a wrapped line shows as longer than the pane), trailing blank lines dropped.
    func capture() async throws -> [String] {
        var lines = try await tmux(["capture-pane", "-p", "-J", "-t", "t"]).components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
    }

    /// Lines that scrolled off the top into the scrollback.
    func historySize() async throws -> Int {
        Int(try await tmux(["display-message", "-p", "-t", "t", "#{history_size}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func stop() async { _ = try? await tmux(["kill-server"]) }

    /// Output goes through files (ProcessRunner), never a pipe the forked tmux server would hold open.
    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner.run("/usr/bin/tmux", ["-L", socket] + arguments)
        guard result.exitCode == 0 else { throw TestSupportError("tmux \(arguments.first ?? ""): \(result.standardError)") }
        return result.standardOutput
    }
}
