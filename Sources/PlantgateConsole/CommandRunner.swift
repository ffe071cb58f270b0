import ArgumentParser

/// How plantgate's programs run their command line.
public enum CommandRunner {
    /// Runs `Root` like argument-parser does, except that usage errors exit with 2 (as most Unix tools do)
    /// instead of argument-parser's 64, so that `PlantgateExit` holds for every failure.
    public static func main<Root: AsyncParsableCommand>(_ root: Root.Type) async {
        do {
            var command = try await Root.asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if Root.exitCode(for: error) == .validationFailure {
                Console.error(Root.fullMessage(for: error))
                Root.exit(withError: ExitCode(PlantgateExit.usage))
            }
            Root.exit(withError: error)
        }
    }
}
