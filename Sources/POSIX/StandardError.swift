import Glibc

/// Standard error, file descriptor 2: where systemd connects the journal.
public enum StandardError {
    /// Writes all of `bytes` in as few `write(2)` calls as the pipe takes; false when a write failed
    /// (nothing else is left to tell then).
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let (written, code) = SystemCall.attempt { Glibc.write(2, bytes.baseAddress.map { $0 + offset }, bytes.count - offset) }
            guard code == 0 else { return false }
            offset += written
        }
        return true
    }
}
