import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What an output stream is connected to: a terminal (tables, colour, in-place refresh) or a pipe or
/// file (plain lines for scripts and logs).
public struct Terminal: Sendable {
    /// The stream is a terminal.
    public var isTTY: Bool
    /// Colour is wanted: a terminal, `NO_COLOR` not set (https://no-color.org) and `TERM` not `dumb`.
    public var usesColour: Bool

    /// Standard output.
    public static var standardOutput: Terminal { describe(fileDescriptor: 1) }
    /// Standard error (progress bars go there).
    public static var standardError: Terminal { describe(fileDescriptor: 2) }

    private static func describe(fileDescriptor: Int32) -> Terminal {
        let tty = isatty(fileDescriptor) == 1
        let environment = ProcessInfo.processInfo.environment
        let colour = tty && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return Terminal(isTTY: tty, usesColour: colour)
    }

    /// Colours used for states; each means the same thing in every command.
    public enum Style: Sendable {
        case plain, good, warning, bad, dim, bold

        var code: String? {
            switch self {
            case .plain: nil
            case .good: "32"
            case .warning: "33"
            case .bad: "31"
            case .dim: "2"
            case .bold: "1"
            }
        }
    }

    /// `text` in `style` when colour is on; unchanged otherwise.
    public func paint(_ text: String, _ style: Style) -> String {
        guard usesColour, let code = style.code, !text.isEmpty else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Clears the screen and moves the cursor home, for a refresh in place.
    public static let clearScreen = "\u{1B}[H\u{1B}[2J"

    /// The size of the terminal on standard output, or nil when it is not a terminal.
    public static var size: (columns: Int, rows: Int)? {
        var size = winsize()
        guard isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// The width views are fitted to: the terminal's, or none (no cutting) for a pipe or file.
    public static var viewWidth: Int? { size?.columns }
}
