import ArgumentParser

/// `plantgate fleet`: runs the companion program `plantgate-fleet` installed next to `plantgate`, so the
/// CLI itself links no MQTT library (git-style, as `git foo` runs `git-foo`).
struct FleetCompanionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Show every site on a broker: online or not, devices, spool, last period record, clock.",
        discussion: "Runs \(FleetCompanionCommand.program), installed next to plantgate; see plantgate fleet --help."
    )

    /// The companion's file name.
    static let program = "plantgate-fleet"

    @Argument(parsing: .captureForPassthrough, help: "The arguments of plantgate fleet.")
    var arguments: [String] = []

    func run() throws {
        throw Self.run(arguments)
    }

    /// Replaces this process with the companion, or prints why it cannot and returns the exit code.
    static func run(_ arguments: [String]) -> ExitCode {
        SiblingProgram.replace(with: program, arguments: arguments) { path in
            "plantgate fleet needs \(path), which is missing or not executable: install the plantgate package "
                + "again (it ships \(program) next to plantgate), or build it with swift build --product \(program)"
        }
    }
}
