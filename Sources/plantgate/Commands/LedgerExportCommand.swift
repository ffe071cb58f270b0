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

    @Option(help: ArgumentHelp("First append time to include (RFC 3339).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Append time to stop before (RFC 3339).", valueName: "time"))
    var to: String?

    @Flag(help: "Write CSV, one row per period record, instead of the verifiable JSON lines.")
    var csv = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, !LedgerFile.isTimestamp(value) {
                throw ValidationError("\(name) \(value) is not an RFC 3339 UTC time like 2026-11-01T00:00:00Z")
            }
        }
    }

    func run() async throws {
        let ledger = try LedgerFile.open(config: options.config)
        let all = try ledger.lines()
        let selected = try ledger.lines(from: LedgerFile.stamped(from), to: LedgerFile.stamped(to))
        var out = ""
        if csv {
            out = try LedgerCSV.text(selected)
        } else {
            out = LedgerExportHeader.line(site: LedgerFile.site(of: all), keys: LedgerExportHeader.announcedKeys(in: all), from: from, to: to) + "\n"
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
