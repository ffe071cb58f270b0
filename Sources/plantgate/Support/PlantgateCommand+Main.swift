import ArgumentParser

extension PlantgateCommand {
    /// Runs the command line like argument-parser does, except that usage errors exit with 2 (as most
    /// Unix tools do) instead of argument-parser's 64, so that `PlantgateExit` holds for every failure.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                exit(withError: ExitCode(PlantgateExit.usage))
            }
            exit(withError: error)
        }
    }
}
