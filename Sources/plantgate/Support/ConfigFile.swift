import ConfigFiles
import PlantModel

/// A configuration file for the commands that load one.
enum ConfigFile {
    /// The loaded configuration at `path`, or every finding (an unreadable file is one of them).
    static func load(_ path: String) -> Result<LoadedConfig, ConfigDiagnostics> { ConfigFiles.load(path) }
}
