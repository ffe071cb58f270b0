import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
