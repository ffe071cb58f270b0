import ArgumentParser
import Foundation
import PlantgateConsole
import Ledger
import PlantModel
import Report

/// `plantgate report`: the auditor's HTML page of one line, or its PACT v3 product footprint.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a line's verified figures as a printable HTML page (--html FILE) or a PACT v3 footprint (--pcf).",
        discussion: """
            The whole ledger is verified first; the page shows the result and the key id at the top. A ledger that \
            does not verify still gets its page, marked as broken, and the command exits 1; --pcf writes no \
            footprint from it. --from and --to (RFC 3339 UTC) take the period records that lie inside them and the \
            events appended in them; without them, everything in the ledger. See docs/report.md.
            """
    )

    @OptionGroup var options: LedgerConfigOption

    @Option(help: ArgumentHelp("The line (its id in lines:).", valueName: "id"))
    var line: String

    @OptionGroup var range: LedgerRangeOptions

    @Option(help: ArgumentHelp("Write the HTML page to this file.", valueName: "file"))
    var html: String?

    @Flag(help: "Write the PACT v3 ProductFootprint JSON to standard output instead.")
    var pcf = false

    func validate() throws {
        if (html == nil) == !pcf { throw ValidationError("give either --html FILE or --pcf") }
    }

    func run() async throws {
        let loaded = try ReportSource.load(config: options.config)
        guard let lineConfig = loaded.config.lines.first(where: { $0.id == line }) else {
            let ids = loaded.config.lines.map(\.id)
            throw Console.fail(.usage(UnknownName.message("line", line, known: ids, place: options.config)))
        }
        let ledger = try LedgerFile.open(config: options.config)
        let lines = try ledger.lines()
        let result = LedgerVerifier().verify(lines)
        let input = ReportInput(
            site: loaded.config.site.id,
            line: ReportLine(id: lineConfig.id, name: lineConfig.name, product: lineConfig.product.name, minimumTonnes: lineConfig.product.minimumTonnes),
            from: LedgerFile.stamped(range.from), to: LedgerFile.stamped(range.to),
            verification: ReportVerification(result, source: ledger.path),
            entries: lines.compactMap { try? LedgerEntry(bytes: $0) },
            generated: ReportSource.now())
        if pcf {
            try writeFootprint(input, loaded.config)
        } else if let html {
            try writePage(input, to: html)
        }
    }

    private func writePage(_ input: ReportInput, to path: String) throws {
        do {
            try ReportPage.html(input).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Console.fail(CLIFailure("cannot write \(path): \(error.localizedDescription)", status: PlantgateExit.unavailable))
        }
        Console.out("wrote \(path): line \(input.line.id), \(input.verification.summary)")
        if !input.verification.verified {
            Console.error("the ledger does not verify: the page says so at the top")
            throw PlantgateExit.code(PlantgateExit.finding)
        }
    }

    private func writeFootprint(_ input: ReportInput, _ config: PlantConfig) throws {
        guard input.verification.verified else {
            throw Console.fail(CLIFailure("\(input.verification.summary)\nno footprint is written from a ledger that does not verify", status: PlantgateExit.finding))
        }
        let identity = try ReportSource.identity(config, line: line, file: options.config)
        do {
            Console.outRaw(try ProductFootprint.json(input, identity: identity, created: input.generated))
        } catch let refusal as ProductFootprint.Refusal {
            throw Console.fail(CLIFailure(refusal.description, status: PlantgateExit.finding))
        }
    }
}
