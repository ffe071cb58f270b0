import ArgumentParser
import ControlProtocol
import Foundation
import PlantModel
import PlantgateConsole

/// `plantgate watch`: live values from the daemon, refreshed in place.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show live tag values and line metrics from the running daemon.",
        discussion: """
            On a terminal the page is redrawn in place on the alternate screen and fits the window; \
            otherwise each refresh prints one line per value. AGE is how old a value is; for a bad value, \
            how long since the tag last read good. Stop with Ctrl-C, or after --count refreshes. Exit \
            status: 0, 2 an unknown --device or --line, 69 plantgated not running or its socket not accessible.
            """
    )

    @Option(help: ArgumentHelp("Only this device's tags.", valueName: "id"))
    var device: String?

    @Option(help: ArgumentHelp("Only the tags and metrics of this line.", valueName: "id"))
    var line: String?

    @Option(help: ArgumentHelp("Only tags whose device/tag path matches this glob, e.g. 'fm-*/volume_*'.", valueName: "pattern"))
    var tag: String?

    @OptionGroup var daemon: DaemonOptions

    @Option(help: ArgumentHelp("Time between refreshes.", valueName: "duration"))
    var interval = DurationArgument(.seconds(1))

    @Option(help: "Stop after this many refreshes.")
    var count: Int?

    @Flag(help: "Print each values report as one JSON line for scripts.")
    var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let socket = try daemon.locate()
        if device != nil || line != nil { try await checkNames(socket: socket) }
        let terminal = Terminal.standardOutput
        let request = ControlRequest(command: .values, device: device, line: line, tag: tag)
        let screen = terminal.isTTY && !json ? WatchScreen() : nil
        screen?.enter()
        defer { screen?.leave() }
        var refreshes = 0
        while true {
            let report: ValuesReport
            switch await DaemonQuery.ask(request, socket: socket, expecting: ValuesReport.self) {
            case .failure(let error):
                screen?.leave()
                throw Console.fail(CLIFailure(error.description, status: error.status))
            case .success(let (answer, line)):
                report = answer
                if json { Console.out(String(decoding: line, as: UTF8.self)) }
            }
            refreshes += 1
            if let screen {
                let size = Terminal.size ?? (80, 24)
                screen.draw(ValuesRendering(report: report, terminal: terminal).page(header: header(refresh: refreshes), columns: size.columns, rows: size.rows))
            } else if !json {
                let lines = ValuesRendering(report: report, terminal: terminal).lines(at: Self.timestamp(Date()))
                Console.out(lines.isEmpty ? "\(Self.timestamp(Date())) no tags match" : lines.joined(separator: "\n"))
            }
            if let count, refreshes >= count { return }
            try await Task.sleep(for: interval.duration)
        }
    }

    /// A --device or --line the daemon does not know is a usage error, with the known ids.
    private func checkNames(socket: SocketLocation) async throws {
        let (status, _) = try await DaemonQuery.answer(ControlRequest(command: .status), socket: socket, expecting: StatusReport.self)
        let place = "the running plantgated (\(status.configPath))"
        if let device, !status.devices.contains(where: { $0.id == device }) {
            throw Console.fail(.usage(UnknownName.message("device", device, known: status.devices.map(\.id), place: place)))
        }
        if let line, !status.lines.contains(where: { $0.id == line }) {
            throw Console.fail(.usage(UnknownName.message("line", line, known: status.lines.map(\.id), place: place)))
        }
    }

    private func header(refresh: Int) -> String {
        let filter = [device.map { "device \($0)" }, line.map { "line \($0)" }, tag.map { "tags \($0)" }].compactMap { $0 }
        var header = "plantgate watch"
        if !filter.isEmpty { header += " (" + filter.joined(separator: ", ") + ")" }
        header += ", every \(interval), \(Self.timestamp(Date()))"
        if let count { header += ", refresh \(refresh)/\(count)" } else { header += ", Ctrl-C to stop" }
        return header
    }

    /// UTC RFC 3339 with milliseconds, as every published time: `2025-01-31T12:00:05.250Z`.
    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.rfc3339(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) * 1_000_000)
    }
}
