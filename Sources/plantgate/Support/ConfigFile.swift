import Foundation
import PlantModel

/// A configuration file for the commands that load one: the CLI reads the bytes, `ConfigLoader` parses.
enum ConfigFile {
    /// The loaded configuration at `path`, or every finding (an unreadable file is one of them).
    static func load(_ path: String) -> Result<LoadedConfig, ConfigDiagnostics> {
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(ConfigLoader.unreadable(path: path)) }
        return ConfigLoader.load(data: data, path: path, readFile: { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } })
    }
}
