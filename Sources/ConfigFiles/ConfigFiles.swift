import Glibc
import PlantModel

/// The one place plantgated and plantgate read a configuration, and the files it names, from disk; the
/// model parses what is read here.
public enum ConfigFiles {
    /// The configuration at `path`, loaded with every file it names looked up; an unreadable file is one
    /// finding like any other.
    public static func load(_ path: String) -> Result<LoadedConfig, ConfigDiagnostics> {
        guard case .file(let bytes) = lookup(path, limit: configLimit + 1) else { return .failure(ConfigLoader.unreadable(path: path)) }
        // Never a parse of the first 64 MB of something longer.
        guard bytes.count <= configLimit else {
            return .failure(ConfigDiagnostics(errors: [ConfigDiagnostic(file: path, line: 0, path: "",
                message: "larger than \(configLimit >> 20) MB, which no plantgate.yaml is; is it the configuration file?")]))
        }
        return ConfigLoader.load(data: bytes, path: path, files: { lookup($0) })
    }

    /// What is at `path`: a directory, a file and its first bytes, or why it cannot be read.
    public static func lookup(_ path: String) -> FileLookup {
        lookup(path, limit: FileLookup.readLimit + 1)
    }

    /// A plant with 50,000 tags is a few MB of YAML; a file larger than this is not a configuration.
    static let configLimit = 64 << 20

    private static func lookup(_ path: String, limit: Int) -> FileLookup {
        var info = stat()
        guard stat(path, &info) == 0 else { return errno == EACCES ? .unreadable(user: userName()) : .missing }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable(user: userName()) }
        defer { close(fd) }
        // Read, not mapped or sized by stat: character devices (/dev/null) and pipes report no size.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .unreadable(user: userName()) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return .file(bytes)
    }

    private static func userName() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}
