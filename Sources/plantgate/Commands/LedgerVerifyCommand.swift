import ArgumentParser
import Foundation
import Gateway
import Ledger

/// `plantgate ledger verify`: every signature, link and number; exit 0 only when all of it holds.
struct LedgerVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an export (FILE, or - for standard input) or, with -c, the ledger database itself.",
        discussion: """
            Checks each entry's hash and Ed25519 signature, the chain links and entry numbers, key changes \
            (only through a key-rotated entry signed with the old key), and the record seq of each line and \
            period kind. Exits 0 when everything verifies, 1 at the first broken entry (printed with what is \
            wrong). Compare the printed key id with the one published by the box.
            """
    )

    @Argument(help: ArgumentHelp("An export file, or - for standard input.", valueName: "file"))
    var file: String?

    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("Verify the ledger database of this configuration's state directory.", valueName: "file"))
    var config: String?

    func validate() throws {
        if (file == nil) == (config == nil) {
            throw ValidationError("give either an export FILE (- for standard input) or -c CONFIG")
        }
    }

    func run() async throws {
        var lines: [[UInt8]]
        var source: String
        if let config {
            let ledger = try LedgerFile.open(config: config)
            lines = try ledger.lines()
            source = ledger.path
        } else {
            let path = file ?? "-"
            source = path == "-" ? "standard input" : path
            guard let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path) else {
                throw Console.fail(CLIFailure("cannot read \(path): no such file or not readable", status: PlantgateExit.unavailable))
            }
            lines = Array(data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
        }
        var trusted: [LedgerPublicKey] = []
        if let first = lines.first, let keys = LedgerExportHeader.keys(first) {
            trusted = keys
            lines.removeFirst()
        }
        let result = LedgerVerifier(trustedKeys: trusted).verify(lines)
        if let problem = result.problem {
            Console.out("BROKEN \(source): \(problem)")
            if problem.index <= lines.count {
                Console.out("entry: " + String(decoding: lines[problem.index - 1].prefix(400), as: UTF8.self))
            }
            Console.out("\(result.verified) entries before it verified")
            throw PlantgateExit.code(PlantgateExit.finding)
        }
        let range = result.firstNumber.map { "n=\($0)…\(result.lastNumber ?? $0)" } ?? "no entries"
        Console.out("OK \(source): \(result.verified) entries (\(range)), \(result.periodRecords) period records, \(result.events) events")
        Console.out("signed by key id " + (result.keyIDs.isEmpty ? "(none)" : result.keyIDs.joined(separator: " then ")))
    }
}
