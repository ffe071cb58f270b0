import ArgumentParser

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
