import ArgumentParser

/// The technician's tool: checks configs, talks to the running daemon, probes and scans buses, runs the simulator.
@main
struct PlantgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plantgate",
        abstract: "Diagnose and commission a plantgate Modbus-to-MQTT gateway.",
        discussion: """
            Exit codes: 0 ok, 1 a finding (e.g. a device down), 2 usage, 69 daemon or device unavailable, 78 config error.
            """,
        version: PlantgateVersion.string,
        subcommands: [
            CheckCommand.self, ProfilesCommand.self, StatusCommand.self, WatchCommand.self,
            ProbeCommand.self, ScanCommand.self, SimCommand.self, BaselineCommand.self, FleetCompanionCommand.self, LedgerCommand.self,
            ReportCommand.self,
        ]
    )
}
