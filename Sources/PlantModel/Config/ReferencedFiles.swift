import Foundation

/// The files a config names that the daemon must read at start (the broker password, TLS material)
/// and its state directory: checked here so that `plantgate check` refuses what `plantgated` would
/// refuse, with file:line.
enum ReferencedFiles {
    /// What the daemon trusts when `mqtt.tls` names no `ca_file`.
    static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    static func problems(in config: PlantConfig, source: SourceMap, files: ConfigFileReader) -> [ConfigDiagnostic] {
        var named: [(path: String, key: String, what: String, secret: Bool)] = []
        if config.mqtt.username != nil, let password = config.mqtt.passwordFile {
            named.append((password, "mqtt.password_file", "the broker password", true))
        }
        if let tls = config.mqtt.tls {
            // Without ca_file the daemon trusts the system's CA bundle, which must then exist.
            named.append((tls.caFile ?? systemCABundle, tls.caFile == nil ? "mqtt.tls" : "mqtt.tls.ca_file", "the CA certificate", false))
            if let file = tls.certFile { named.append((file, "mqtt.tls.cert_file", "the client certificate", false)) }
            if let file = tls.keyFile { named.append((file, "mqtt.tls.key_file", "the client key", false)) }
        }
        var problems = named.compactMap { file in
            problem(with: files(file.path), at: file.path, what: file.what, secret: file.secret).map {
                ConfigDiagnostic(file: source.file, line: source.line(of: file.key), path: file.key, message: $0)
            }
        }
        if let message = stateDirectoryProblem(config.stateDirectory, files: files) {
            problems.append(ConfigDiagnostic(file: source.file, line: source.line(of: "state_dir"), path: "state_dir", message: message))
        }
        return problems
    }

    /// The daemon creates a missing state directory, but not where a file stands in the way. Whether
    /// the service user may write there is left to the daemon: this check may run as another user.
    static func stateDirectoryProblem(_ path: String, files: ConfigFileReader) -> String? {
        var current = path
        while current.count > 1 {
            switch files(current) {
            case .missing:
                current = parent(of: current)
            case .directory:
                return nil
            case .file, .unreadable:
                return "\(current) is a file, so plantgated cannot keep its state in \(path); remove the file or choose another state_dir"
            }
        }
        return nil
    }

    /// "/var/lib/plantgate" for "/var/lib/plantgate/state"; "/" for "/var".
    static func parent(of path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// Why the file found at `path` cannot serve, in words that say the fix; nil when it can.
    static func problem(with lookup: FileLookup, at path: String, what: String, secret: Bool) -> String? {
        switch lookup {
        case .missing:
            return "\(path) does not exist; create it with \(what)\(secret ? " (mode 0640, owner root, group plantgate)" : "") or correct the path"
        case .directory:
            return "\(path) is a directory; give the file holding \(what)"
        case .unreadable(let user):
            return "\(path) cannot be read by user \(user); plantgated reads it as its service user: let group plantgate read it, and run this check as that user (sudo -u plantgate plantgate check)"
        case .file(let bytes):
            if bytes.count > FileLookup.readLimit { return "\(path) is larger than \(FileLookup.readLimit / 1024) KB; is it the file holding \(what)?" }
            if secret, String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines).isEmpty {
                return "\(path) is empty; write the broker password in it"
            }
            return nil
        }
    }
}
