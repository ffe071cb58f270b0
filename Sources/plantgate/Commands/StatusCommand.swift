import ArgumentParser
import ControlProtocol
import PlantgateConsole

/// `plantgate status`: the running daemon's health, from its control socket.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running daemon's health: broker, buses, devices and key line metrics.",
        discussion: """
            The control socket is the control_socket of --config (default /etc/plantgate/plantgate.yaml), \
            or --socket. The page fits the terminal; --all adds device counters and every line metric. \
            Exit status: 0 all devices up, 1 at least one device down, 2 usage, 69 plantgated not running \
            or its socket not accessible. --json prints the daemon's report as one JSON line with \
            snake_case keys in sorted order.
            """
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print the status report as one JSON line for scripts.")
    var json = false

    @Flag(name: [.customLong("all"), .customLong("wide")], help: "Show every device column and every line metric.")
    var all = false

    func run() async throws {
        let socket = try daemon.locate()
        let (report, line) = try await DaemonQuery.answer(ControlRequest(command: .status), socket: socket, expecting: StatusReport.self)
        if json {
            Console.out(String(decoding: line, as: UTF8.self))
        } else {
            Console.out(StatusRendering(report: report, terminal: Terminal.standardOutput, width: Terminal.viewWidth, all: all).render())
        }
        let down = report.devices.filter { !$0.up }.map(\.id)
        if !down.isEmpty {
            if !json { Console.error("plantgate: \(down.count) device\(down.count == 1 ? "" : "s") down: \(down.joined(separator: ", "))") }
            throw PlantgateExit.code(PlantgateExit.finding)
        }
    }
}
