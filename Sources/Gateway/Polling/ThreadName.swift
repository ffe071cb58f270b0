import Glibc

/// Kernel names for the gateway's own threads.
enum ThreadName {
    /// Names the calling thread for `top -H`, `ps -L` and /proc (Foundation's `Thread.name` does not
    /// reach the kernel on Linux, and Glibc's module lacks `pthread_setname_np`); the kernel keeps 15
    /// bytes. Best effort.
    static func setCurrent(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
