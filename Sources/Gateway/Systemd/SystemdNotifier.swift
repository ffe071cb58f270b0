import Foundation
import Glibc
import POSIX

/// Sends `sd_notify(3)` datagrams to systemd without linking libsystemd.
///
/// The notifier is a value read once from the environment: `$NOTIFY_SOCKET` (an absolute path or an
/// abstract `@name`), `$WATCHDOG_USEC` and `$WATCHDOG_PID`. When `$NOTIFY_SOCKET` is unset (started by
/// hand, or `Type=simple`), every call is a silent no-op. Each call opens a `SOCK_DGRAM|SOCK_CLOEXEC`
/// socket, sends one datagram with `MSG_NOSIGNAL` and closes it, the same way `sd_notify` does, so the
/// value is `Sendable` and holds no file descriptor. Calls never block on the receiver.
public struct SystemdNotifier: Sendable {
    /// The raw `$NOTIFY_SOCKET` value, or `nil` when notifications are off.
    public let socketAddress: String?
    private let watchdogMicroseconds: UInt64?
    private let watchdogAppliesToUs: Bool
    private let monotonicMicroseconds: @Sendable () -> UInt64

    /// Reads the notification settings from `environment` (the process environment by default).
    ///
    /// - Parameters:
    ///   - environment: injected so tests can run in parallel without touching the process environment.
    ///   - processID: compared with `$WATCHDOG_PID`; defaults to this process.
    ///   - monotonicMicroseconds: `CLOCK_MONOTONIC` in µs, sent with `RELOADING=1`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        processID: Int32 = getpid(),
        monotonicMicroseconds: @escaping @Sendable () -> UInt64 = MonotonicClock.microseconds
    ) {
        let address = environment["NOTIFY_SOCKET"]
        self.socketAddress = (address?.isEmpty ?? true) ? nil : address
        self.watchdogMicroseconds = environment["WATCHDOG_USEC"].flatMap { UInt64($0) }.flatMap { $0 > 0 ? $0 : nil }
        if let pid = environment["WATCHDOG_PID"] {
            // systemd sets WATCHDOG_PID so a forked child does not ping on its parent's behalf.
            self.watchdogAppliesToUs = Int32(pid) == processID
        } else {
            self.watchdogAppliesToUs = true
        }
        self.monotonicMicroseconds = monotonicMicroseconds
    }

    /// Whether a `$NOTIFY_SOCKET` is set, i.e. whether calls send anything.
    public var isEnabled: Bool { self.socketAddress != nil }

    /// The watchdog timeout systemd enforces (`WatchdogSec=`), or `nil` when the watchdog is off or meant
    /// for another process. Ping at half of it; see ``WatchdogPacer``.
    public func watchdogInterval() -> Duration? {
        guard self.watchdogAppliesToUs, let usec = self.watchdogMicroseconds else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// Tells systemd that start-up finished (`READY=1`), with an optional status line for `systemctl status`.
    ///
    /// Send it after the configuration loaded and the first connections were attempted, not at process start.
    public func ready(status: String? = nil) throws(SystemdNotifyError) {
        var fields = ["READY=1"]
        if let status { fields.append("STATUS=" + Self.oneLine(status)) }
        try self.send(fields.joined(separator: "\n"))
    }

    /// Replaces the free-text status shown by `systemctl status` (`STATUS=`).
    public func status(_ text: String) throws(SystemdNotifyError) {
        try self.send("STATUS=" + Self.oneLine(text))
    }

    /// Keeps the service watchdog from firing (`WATCHDOG=1`). Only call it when the daemon made progress.
    public func watchdog() throws(SystemdNotifyError) {
        try self.send("WATCHDOG=1")
    }

    /// Announces a configuration reload (`RELOADING=1` with `MONOTONIC_USEC=`, which systemd ≥ 253 requires
    /// and 252 ignores). Follow it with ``ready(status:)`` when the reload is done.
    public func reloading() throws(SystemdNotifyError) {
        try self.send("RELOADING=1\nMONOTONIC_USEC=\(self.monotonicMicroseconds())")
    }

    /// Announces an orderly shutdown (`STOPPING=1`).
    public func stopping() throws(SystemdNotifyError) {
        try self.send("STOPPING=1")
    }

    /// Asks systemd for `usec` more microseconds before the current start, stop or reload times out
    /// (`EXTEND_TIMEOUT_USEC=`), e.g. while flushing a large store-and-forward queue on stop.
    public func extendTimeout(usec: UInt64) throws(SystemdNotifyError) {
        try self.send("EXTEND_TIMEOUT_USEC=\(usec)")
    }

    /// Sends `message` as one datagram; a no-op when `$NOTIFY_SOCKET` is unset.
    public func send(_ message: String) throws(SystemdNotifyError) {
        guard let socketAddress else { return }
        let target = try NotifySocketAddress(parsing: socketAddress)
        try target.sendDatagram(Array(message.utf8))
    }

    /// A newline inside a value would start a new `KEY=` assignment in the datagram.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
