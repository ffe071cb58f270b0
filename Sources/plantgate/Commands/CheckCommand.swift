import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
