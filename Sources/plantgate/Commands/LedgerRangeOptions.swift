import ArgumentParser

/// `--from` and `--to`, the time range the ledger commands and `plantgate report` take (RFC 3339 UTC).
struct LedgerRangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start of the range (RFC 3339 UTC, e.g. 2026-11-01T00:00:00Z).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the range, exclusive (RFC 3339 UTC).", valueName: "time"))
    var to: String?

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, !LedgerFile.isTimestamp(value) {
                throw ValidationError("\(name) \(value) is not an RFC 3339 UTC time like 2026-11-01T00:00:00Z")
            }
        }
    }
}
