import ArgumentParser
import PlantgateConsole

extension PlantgateCommand {
    /// Runs the command line (usage errors exit with 2, see `CommandRunner`). `plantgate fleet ARGS` and
    /// `plantgate help fleet` go to the companion `plantgate-fleet` before any parsing, so that every
    /// option, `--help` included, is its own.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "fleet" {
            exit(withError: FleetCompanionCommand.run(Array(arguments.dropFirst())))
        }
        if arguments == ["help", "fleet"] {
            exit(withError: FleetCompanionCommand.run(["--help"]))
        }
        await CommandRunner.main(Self.self)
    }
}
