import ArgumentParser

struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sim", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
