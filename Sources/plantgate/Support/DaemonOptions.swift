import ArgumentParser
import Foundation
import ControlProtocol
import PlantgateConsole
import PlantModel

/// How a command that talks to the daemon finds its control socket: `--socket`, else `control_socket`
/// of `--config`, else of the installed config, else the default path.
struct DaemonOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("The daemon's configuration file, read for control_socket (default \(CheckCommand.defaultPath)).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(help: ArgumentHelp("The daemon's control socket (overrides the config's control_socket).", valueName: "path"), completion: .file())
    var socket: String?

    /// The socket to use and, for messages, where that choice came from.
    func locate() throws -> SocketLocation {
        if let socket { return SocketLocation(path: socket, origin: .option) }
        let file = config ?? CheckCommand.defaultPath
        let setting = FileManager.default.contents(atPath: file).map { ControlSocketSetting.lookup(in: $0) }
            ?? .unreadable(FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file")
        switch setting {
        case .socket(let path):
            return SocketLocation(path: path, origin: .config(file))
        case .notSet:
            return SocketLocation(path: ControlProtocol.defaultSocketPath, origin: .defaultOf(file))
        case .unreadable(let reason):
            // An explicit --config must be usable; a missing installed config just means the default socket.
            if config != nil {
                throw Console.fail(.usage("cannot read control_socket from \(file): \(reason); give the daemon's config with -c or its socket with --socket"))
            }
            return SocketLocation(path: ControlProtocol.defaultSocketPath, origin: .noConfig(file))
        }
    }
}

/// A control socket path and how it was chosen, so a failure can say what to try next.
struct SocketLocation: Sendable {
    enum Origin: Sendable {
        case option
        case config(String)
        case defaultOf(String)
        case noConfig(String)
    }

    var path: String
    var origin: Origin

    /// What to try when nothing answers on `path`; empty when the choice was explicit.
    var hint: String {
        switch origin {
        case .option: ""
        case .config(let file): " (the control_socket of \(file); give another config with -c, or the socket with --socket)"
        case .defaultOf(let file): " (\(file) sets no control_socket; if plantgated runs with another config, give it with -c, or the socket with --socket)"
        case .noConfig(let file): " (no \(file) here; give the daemon's config with -c, or its socket with --socket)"
        }
    }
}
