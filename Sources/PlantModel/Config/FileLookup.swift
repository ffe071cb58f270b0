/// What the caller found at a path a configuration names (the broker password, TLS material, a fitted
/// baseline model, the state directory). PlantModel reads no files: the daemon and the CLI look them up
/// (`ConfigFiles`), tests hand in what they like.
public enum FileLookup: Sendable, Equatable {
    case missing
    case directory
    /// It exists, but `user` may not read it.
    case unreadable(user: String)
    /// Its bytes, at most `readLimit + 1` of them: one more than any file a config names may hold, so that a
    /// wrong file (or /dev/zero) shows as too large rather than being read to its end.
    case file([UInt8])

    /// Larger than any password, certificate, key or model file; the system CA bundle is about 200 KB.
    public static let readLimit = 1 << 20
}

/// Looks up a file a configuration names, by absolute path.
public typealias ConfigFileReader = @Sendable (String) -> FileLookup
