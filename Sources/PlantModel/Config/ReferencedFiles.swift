import Foundation

/// The files a config names that the daemon must read at start (the broker password, TLS material)
/// and its state directory: checked here so that `plantgate check` refuses what `plantgated` would
/// refuse, with file:line.
enum ReferencedFiles {
    /// What the daemon trusts when `mqtt.tls` names no `ca_file`.
    static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"
    /// Larger than any password, certificate or key file; the system CA bundle is about 200 KB.
    static let maxBytes = 1 << 20

    static func problems(in config: PlantConfig, source: SourceMap) -> [ConfigDiagnostic] {
        var files: [(path: String, key: String, what: String, secret: Bool)] = []
        if config.mqtt.username != nil, let password = config.mqtt.passwordFile {
            files.append((password, "mqtt.password_file", "the broker password", true))
        }
        if let tls = config.mqtt.tls {
            // Without ca_file the daemon trusts the system's CA bundle, which must then exist.
            files.append((tls.caFile ?? systemCABundle, tls.caFile == nil ? "mqtt.tls" : "mqtt.tls.ca_file", "the CA certificate", false))
            if let file = tls.certFile { files.append((file, "mqtt.tls.cert_file", "the client certificate", false)) }
            if let file = tls.keyFile { files.append((file, "mqtt.tls.key_file", "the client key", false)) }
        }
        var problems = files.compactMap { file in
            problem(with: file.path, what: file.what, secret: file.secret).map {
                ConfigDiagnostic(file: source.file, line: source.line(of: file.key), path: file.key, message: $0)
            }
        }
        if let message = stateDirectoryProblem(config.stateDirectory) {
            problems.append(ConfigDiagnostic(file: source.file, line: source.line(of: "state_dir"), path: "state_dir", message: message))
        }
        return problems
    }

    /// The daemon creates a missing state directory, but not where a file stands in the way. Whether
    /// the service user may write there is left to the daemon: this check may run as another user.
    static func stateDirectoryProblem(_ path: String) -> String? {
        var current = path
        while current.count > 1 {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil
                    : "\(current) is a file, so plantgated cannot keep its state in \(path); remove the file or choose another state_dir"
            }
            current = (current as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Why `path` cannot serve, in words that say the fix; nil when it can.
    static func problem(with path: String, what: String, secret: Bool) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "\(path) does not exist; create it with \(what)\(secret ? " (mode 0640, owner root, group plantgate)" : "") or correct the path"
        }
        if isDirectory.boolValue { return "\(path) is a directory; give the file holding \(what)" }
        // FileHandle, not FileManager.contents: the latter refuses character devices such as /dev/null.
        // At most 1 MB: a password, a certificate or a key is far smaller, and /dev/zero never ends.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: maxBytes + 1) ?? Data() else {
            let user = ProcessInfo.processInfo.userName
            return "\(path) cannot be read by user \(user); plantgated reads it as its service user: let group plantgate read it, and run this check as that user (sudo -u plantgate plantgate check)"
        }
        if data.count > maxBytes { return "\(path) is larger than \(maxBytes / 1024) KB; is it the file holding \(what)?" }
        if secret, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines).isEmpty {
            return "\(path) is empty; write the broker password in it"
        }
        return nil
    }
}
