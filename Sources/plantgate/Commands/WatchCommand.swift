import ArgumentParser

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
