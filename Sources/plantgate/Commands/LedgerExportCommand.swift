import ArgumentParser
import Ledger
import PlantgateConsole

/// `plantgate ledger export`: the entries of a time range as JSON lines (verifiable) or CSV (spreadsheets).
struct LedgerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write ledger entries to standard output as JSON lines, or period records as CSV.",
        discussion: """
            JSON lines: a header line with the site and its public keys, then each entry byte for byte as \
            signed. --from and --to (RFC 3339, e.g. 2026-11-01T00:00:00Z) select entries by the time they were \
            appended; --to is exclusive. Without them, everything in the ledger.
            """
    )

    @OptionGroup var options: LedgerConfigOption

    @OptionGroup var range: LedgerRangeOptions

    @Flag(help: "Write CSV, one row per period record, instead of the verifiable JSON lines.")
    var csv = false

    func run() async throws {
        let ledger = try LedgerFile.open(config: options.config)
        let all = try ledger.lines()
        // The whole chain gives the header its site and keys; without a range it is also the selection.
        let selected = range.from == nil && range.to == nil ? all
            : try ledger.lines(from: LedgerFile.stamped(range.from), to: LedgerFile.stamped(range.to))
        var out = ""
        if csv {
            out = try LedgerCSV.text(selected)
        } else {
            out = LedgerExportHeader.line(site: LedgerFile.site(of: all), keys: LedgerExportHeader.announcedKeys(in: all), from: range.from, to: range.to) + "\n"
            for line in selected {
                out += String(decoding: line, as: UTF8.self) + "\n"
                if out.utf8.count > 1 << 16 {
                    Console.outRaw(out)
                    out = ""
                }
            }
        }
        Console.outRaw(out)
    }
}
