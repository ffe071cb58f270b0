import ArgumentParser
import Gateway

/// `plantgate status`: the running daemon's health, from its control socket.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running daemon's health: broker, buses, devices and line metrics.",
        discussion: """
            Exit status: 0 all devices up, 1 at least one device down, 69 plantgated not running or its \
            socket not accessible. --json prints the daemon's StatusReport unchanged (one JSON line).
            """
    )

    @Option(help: ArgumentHelp("The daemon's control socket.", valueName: "path"), completion: .file())
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print the StatusReport as JSON for scripts.")
    var json = false

    func run() async throws {
        let report: StatusReport
        switch await DaemonQuery.ask(ControlRequest(command: .status), socket: socket, expecting: StatusReport.self) {
        case .failure(let error):
            throw Console.fail(CLIFailure(error.description, status: error.status))
        case .success(let (answer, line)):
            report = answer
            if json { Console.out(String(decoding: line, as: UTF8.self)) }
        }
        if !json { Console.out(StatusRendering(report: report, terminal: Terminal.standardOutput).render()) }
        let down = report.devices.filter { !$0.up }.map(\.id)
        if !down.isEmpty {
            if !json { Console.error("plantgate: \(down.count) device\(down.count == 1 ? "" : "s") down: \(down.joined(separator: ", "))") }
            throw PlantgateExit.code(PlantgateExit.finding)
        }
    }
}
