import ArgumentParser

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "Not written yet.")

    func run() async throws {
        throw ExitCode(2)
    }
}
