import Glibc

/// Replacing this process with another program (git-style companions such as `plantgate-fleet`).
public enum ProgramImage {
    /// Runs `path` with `arguments` (its own name first) in place of this process; returns only on failure.
    public static func replace(with path: String, arguments: [String]) -> SystemCallError {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        let (_, code) = SystemCall.attempt { execv(path, argv) }
        return SystemCallError(call: "execv", code: code)
    }
}
