import ArgumentParser

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
