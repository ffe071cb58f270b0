import Glibc

/// The one way plantgate makes a raw system call: `errno` is read right after the call, before any other
/// code can overwrite it, and a call interrupted by a signal (`EINTR`) is made again.
public enum SystemCall {
    /// Runs `call` until it is not interrupted; a negative result throws with the call's name and `errno`.
    @discardableResult
    public static func run<Result: BinaryInteger>(_ name: String, _ call: () -> Result) throws(SystemCallError) -> Result {
        let (result, code) = attempt(call)
        guard code == 0 else { throw SystemCallError(call: name, code: code) }
        return result
    }

    /// Runs `call` until it is not interrupted and returns its result with `errno` (0 when the result is not
    /// negative), for callers that expect some failures, such as `EAGAIN` on a non-blocking socket.
    public static func attempt<Result: BinaryInteger>(_ call: () -> Result) -> (result: Result, errno: Int32) {
        while true {
            let result = call()
            guard result < 0 else { return (result, 0) }
            let code = errno
            if code != EINTR { return (result, code) }
        }
    }
}

/// A failed system call: which one and the operating system's reason.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call, as named in messages: `socket`, `connect`, `sendto`…
    public var call: String
    /// Its `errno`.
    public var code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The operating system's words for `code` (`strerror`).
    public var reason: String { Self.reason(code) }

    /// Whether a non-blocking descriptor or one with a timeout has nothing to give yet.
    public var wouldBlock: Bool { code == EAGAIN || code == EWOULDBLOCK }

    public var description: String { "\(call) failed: \(reason)" }

    /// The operating system's words for an `errno` value.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
