import CPOSIX

/// Kernel names for plantgate's own threads, as `top -H`, `ps -L` and /proc show them.
public enum ThreadName {
    /// The kernel keeps 15 bytes of a thread name and a NUL.
    public static let maximumBytes = 15

    /// Names the calling thread (Foundation's `Thread.name` does not reach the kernel on Linux); longer
    /// names are cut to `maximumBytes`. Best effort.
    public static func setCurrent(_ name: String) {
        var bytes = Array(name.utf8.prefix(maximumBytes))
        bytes.append(0)
        _ = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cposix_set_thread_name($0.baseAddress) }
        }
    }
}
