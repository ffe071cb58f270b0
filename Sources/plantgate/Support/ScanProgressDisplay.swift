import Foundation
import PlantgateConsole

/// Shows a scan's progress on stderr: a bar with the time left on a terminal, plain lines otherwise.
final class ScanProgressDisplay: @unchecked Sendable {
    // @unchecked Sendable: only the single scanning thread calls `show`, one call at a time.
    private let terminal: Terminal
    private var lastLink = ""
    private var drawn = false

    init(terminal: Terminal) { self.terminal = terminal }

    func show(_ progress: BusScan.Progress, _ finding: BusScan.Finding?) {
        if terminal.isTTY {
            if let finding {
                Console.errorRaw("\r\u{1B}[K" + "unit \(finding.unit) (\(finding.link)): \(finding.text)\n")
            }
            if progress.link.isEmpty {
                if drawn { Console.errorRaw("\r\u{1B}[K") }
                return
            }
            Console.errorRaw("\r\u{1B}[K" + bar(progress))
            drawn = true
        } else {
            if let finding {
                Console.error("unit \(finding.unit) (\(finding.link)): \(finding.text)")
            } else if !progress.link.isEmpty, progress.link != lastLink {
                lastLink = progress.link
                Console.error("scanning \(progress.link) …")
            }
        }
    }

    private func bar(_ progress: BusScan.Progress) -> String {
        let width = 24
        let filled = progress.total == 0 ? 0 : width * progress.done / progress.total
        let left = progress.remaining.map { "~" + ValueText.span($0) + " left" } ?? ""
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(progress.done)/\(progress.total)  \(progress.link) unit \(progress.unit)  \(progress.found) found  \(left)"
    }
}
