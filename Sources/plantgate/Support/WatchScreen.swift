import Dispatch
import Foundation
import PlantgateConsole
#if canImport(Glibc)
import Glibc
#endif

/// The terminal while `watch` runs: the alternate screen, redrawn in place from the top-left corner,
/// so that refreshes never scroll and leave nothing in the scrollback; the normal screen comes back
/// on exit, including Ctrl-C.
final class WatchScreen: @unchecked Sendable {
    // @unchecked Sendable: used by the one task running the command; the signal handler only writes and exits.
    static let enterAlternate = "\u{1B}[?1049h\u{1B}[?25l"
    static let leaveAlternate = "\u{1B}[?25h\u{1B}[?1049l"
    private var interrupt: (any DispatchSourceSignal)?
    private var entered = false

    func enter() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            Console.outRaw(Self.leaveAlternate)
            exit(0)
        }
        source.resume()
        interrupt = source
        entered = true
        Console.outRaw(Self.enterAlternate)
    }

    /// Draws `lines` from the top-left corner, clearing what the previous page left to their right and below.
    func draw(_ lines: [String]) {
        Console.outRaw("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
    }

    func leave() {
        guard entered else { return }
        entered = false
        interrupt?.cancel()
        Console.outRaw(Self.leaveAlternate)
    }
}
