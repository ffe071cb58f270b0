import Foundation
import Yams

/// The one setting `plantgate status` and `watch` need from a config they do not validate: where the
/// daemon's control socket is. Reading only that key lets a technician who may not read the broker
/// password file still find the socket.
public enum ControlSocketSetting {
    /// What a config file says about the control socket.
    public enum Lookup: Sendable, Equatable {
        /// The file names this socket.
        case socket(String)
        /// The file has no `control_socket:` key (the daemon uses its default).
        case notSet
        /// The file cannot be read or is not a YAML mapping; the reason.
        case unreadable(String)
    }

    /// Looks up `control_socket` at the top level of a config file's bytes (the caller reads the file).
    public static func lookup(in data: some Collection<UInt8>) -> Lookup {
        guard YAMLSafety.refusal(of: String(decoding: data, as: UTF8.self)) == nil,
              let root = try? Yams.compose(yaml: String(decoding: data, as: UTF8.self)), case .mapping(let mapping) = root else {
            return .unreadable("not a YAML mapping")
        }
        for (key, value) in mapping {
            guard case .scalar(let name) = key, name.string == "control_socket" else { continue }
            guard case .scalar(let socket) = value, socket.string.hasPrefix("/") else { return .unreadable("control_socket is not an absolute path") }
            return .socket(socket.string)
        }
        return .notSet
    }
}
