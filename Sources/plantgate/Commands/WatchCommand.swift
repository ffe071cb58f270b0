import ArgumentParser
import Foundation
import Gateway

/// `plantgate watch`: live values from the daemon, refreshed in place.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show live tag values and line metrics from the running daemon.",
        discussion: """
            On a terminal the table refreshes in place; otherwise each refresh prints one line per value. \
            Stop with Ctrl-C, or after --count refreshes. Exit status: 0, or 69 when plantgated is not \
            running or its socket is not accessible.
            """
    )

    @Option(help: ArgumentHelp("Only this device's tags.", valueName: "id"))
    var device: String?

    @Option(help: ArgumentHelp("Only the tags and metrics of this line.", valueName: "id"))
    var line: String?

    @Option(help: ArgumentHelp("Only tags whose device/tag path matches this glob, e.g. 'fm-*/volume_*'.", valueName: "pattern"))
    var tag: String?

    @Option(help: ArgumentHelp("The daemon's control socket.", valueName: "path"), completion: .file())
    var socket = ControlProtocol.defaultSocketPath

    @Option(help: ArgumentHelp("Time between refreshes.", valueName: "duration"))
    var interval = DurationArgument(.seconds(1))

    @Option(help: "Stop after this many refreshes.")
    var count: Int?

    @Flag(help: "Print each ValuesReport as one JSON line for scripts.")
    var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let terminal = Terminal.standardOutput
        let request = ControlRequest(command: .values, device: device, line: line, tag: tag)
        var refreshes = 0
        while true {
            let report: ValuesReport
            switch await DaemonQuery.ask(request, socket: socket, expecting: ValuesReport.self) {
            case .failure(let error):
                throw Console.fail(CLIFailure(error.description, status: error.status))
            case .success(let (answer, line)):
                report = answer
                if json { Console.out(String(decoding: line, as: UTF8.self)) }
            }
            refreshes += 1
            if !json { show(report, on: terminal, refresh: refreshes) }
            if let count, refreshes >= count { return }
            try await Task.sleep(for: interval.duration)
        }
    }

    private func show(_ report: ValuesReport, on terminal: Terminal, refresh: Int) {
        let now = Self.timestamp(Date())
        let rendering = ValuesRendering(report: report, terminal: terminal)
        if terminal.isTTY {
            let filter = [device.map { "device \($0)" }, line.map { "line \($0)" }, tag.map { "tags \($0)" }].compactMap { $0 }
            var header = "plantgate watch"
            if !filter.isEmpty { header += " (" + filter.joined(separator: ", ") + ")" }
            header += ", every \(interval), \(now)"
            if let count { header += ", refresh \(refresh)/\(count)" } else { header += ", Ctrl-C to stop" }
            Console.outRaw(Terminal.clearScreen + rendering.page(header: header) + "\n")
        } else {
            let lines = rendering.lines(at: now)
            Console.out(lines.isEmpty ? "\(now) no tags match" : lines.joined(separator: "\n"))
        }
    }

    /// UTC, to the second: `2025-01-31T12:00:05Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
