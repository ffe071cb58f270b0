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
        let tmux = try Tmux(columns: 80, rows: 24)
        defer { tmux.stop() }
        let plantgate = PlantgateBinary.path

        // status: the whole page on one screen, no line longer than the terminal.
        try tmux.run("TERM=xterm \(plantgate) status -c \(plant.config); echo EXIT $?")
        #expect(await eventually(timeout: .seconds(10)) { (try? tmux.capture())?.contains { $0.hasPrefix("EXIT ") } == true })
        let status = try tmux.capture()
        #expect(status.first?.hasPrefix("plantgated ") == true, "the first line is still on screen: \(status)")
        #expect(status.allSatisfy { $0.count <= 80 }, "\(status)")
        #expect(try tmux.historySize() == 0, "nothing scrolled off: \(status)")
        #expect(status.contains { $0.hasPrefix("pm-main ") } && status.contains { $0.hasPrefix("line lioh-1") })
        try tmux.run("clear")

        // watch: redrawn in place; the header stays on top; the scrollback stays empty.
        try tmux.run("TERM=xterm \(plantgate) watch -c \(plant.config) --interval 100ms --count 30")
        #expect(await eventually(timeout: .seconds(15)) { (try? tmux.capture())?.first?.contains("refresh 10/30") == true })
        let page = try tmux.capture()
        #expect(page.first?.hasPrefix("plantgate watch, every 100ms") == true, "\(page)")
        #expect(page.count <= 24 && page.allSatisfy { $0.count <= 80 }, "\(page)")
        #expect(page.contains { $0.hasPrefix("TAG ") })
        #expect(page.last?.hasPrefix("… ") == true, "the rows that do not fit are counted: \(page)")
        #expect(try tmux.historySize() == 0)
        #expect(await eventually(timeout: .seconds(15)) { (try? tmux.capture())?.contains { $0.contains("watch -c") } == true },
                "the normal screen comes back after the last refresh")
        #expect(try tmux.historySize() == 0, "no copy of the table in the scrollback")
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
final class Tmux: Sendable {
    let socket = "plantgate-test-\(UUID().uuidString.prefix(8))"

    init(columns: Int, rows: Int) throws {
        try tmux(["new-session", "-d", "-s", "t", "-x", "\(columns)", "-y", "\(rows)", "env -u NO_COLOR PS1='$ ' bash --norc --noprofile"])
        try tmux(["set-option", "-g", "history-limit", "2000"])
    }

    /// Types `command` and Enter into the pane.
    func run(_ command: String) throws { try tmux(["send-keys", "-t", "t", command, "Enter"]) }

    /// The visible screen, wrapped lines joined (so a wrapped line shows as longer than the pane), trailing blank lines dropped.
    func capture() throws -> [String] {
        var lines = try tmux(["capture-pane", "-p", "-J", "-t", "t"]).components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
    }

    /// Lines that scrolled off the top into the scrollback.
    func historySize() throws -> Int {
        Int(try tmux(["display-message", "-p", "-t", "t", "#{history_size}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func stop() { _ = try? tmux(["kill-server"]) }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", socket] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
