import ArgumentParser
import PlantgateConsole
import PlantModel

/// `plantgate check`: validates a configuration like `nginx -t`, without touching any device.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a configuration file and print its read plan.",
        discussion: """
            Prints the plan (buses, devices, requests per second, lines) and any warnings, and exits 0; \
            or prints every mistake at once, one error each, as FILE:LINE: KEY: MESSAGE, and exits 78. It \
            refuses exactly what plantgated refuses at start, including a missing or empty password_file \
            and missing TLS files (run it as the service user to read them as the daemon does). Nothing is \
            read from any device.
            """
    )

    static let defaultPath = "/etc/plantgate/plantgate.yaml"

    @Argument(help: ArgumentHelp("The configuration file.", valueName: "file"),
              completion: .file(extensions: ["yaml", "yml"]))
    var file: String?

    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("The configuration file (same as the FILE argument).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Flag(name: .shortAndLong, help: "Print only errors and warnings, not the plan.")
    var quiet = false

    func validate() throws {
        if file != nil, config != nil {
            throw ValidationError("give the configuration file once: either as FILE or with --config")
        }
    }

    func run() async throws {
        let path = file ?? config ?? Self.defaultPath
        switch ConfigFile.load(path) {
        case .success(let loaded):
            if quiet {
                for warning in loaded.warnings { Console.out(warning.description) }
            } else {
                Console.out(loaded.plan.summary)
            }
            let warnings = loaded.warnings.count
            Console.out("configuration \(path) is valid" + (warnings == 0 ? "" : " (\(warnings) warning\(warnings == 1 ? "" : "s"))"))
        case .failure(let diagnostics):
            Console.error(diagnostics.description)
            Console.error("configuration \(path) is invalid")
            throw PlantgateExit.code(PlantgateExit.config)
        }
    }
}
