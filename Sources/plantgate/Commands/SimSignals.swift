import Foundation
import POSIX

/// How `plantgate sim` stops: the first SIGINT or SIGTERM, then a bounded shutdown.
enum SimSignals {
    /// Waits for the first of some signals, delivered through DispatchSource (see `SignalEvents`), so the
    /// simulator can stop its servers and report before exiting.
    static func wait(for signals: [Int32]) async {
        for await _ in await SignalEvents.stream(signals) { break }
    }

    /// The promise that the simulator always stops: if the orderly shutdown has not finished within
    /// `limit`, say so and exit anyway (status 0: it was stopped by a signal).
    static func exitIfStillRunning(after limit: Duration) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            FileHandle.standardError.write(Data("plantgate sim: still stopping \(seconds) s after the signal; exiting now\n".utf8))
            exit(0)
        }
        thread.name = "sim-stop-deadline"
        thread.start()
    }
}
