import ArgumentParser
import Foundation
import Ledger
import PlantgateConsole

/// `plantgate ledger verify`: every signature, link and number; exit 0 only when all of it holds.
struct LedgerVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an export (FILE, or - for standard input), an MQTT capture (--records), or the ledger database (-c).",
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

    @Flag(help: "FILE is a capture of the period topics (mosquitto_sub, with or without -v): check each record's signature and seq.")
    var records = false

    @Option(help: ArgumentHelp("A trusted public key (Base64, from the retained ledger/key topic or `plantgate ledger key`); repeatable.", valueName: "base64"))
    var key: [String] = []

    func validate() throws {
        if (file == nil) == (config == nil) {
            throw ValidationError("give either an export FILE (- for standard input) or -c CONFIG")
        }
        if records, key.isEmpty {
            throw ValidationError("--records needs the public key: add --key BASE64 (the retained {prefix}/{site}/ledger/key message, or `plantgate ledger key`)")
        }
        if let bad = key.first(where: { LedgerPublicKey(base64: $0) == nil }) {
            throw ValidationError("--key \(bad) is not a Base64 Ed25519 public key (32 bytes)")
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
        var trusted = key.compactMap(LedgerPublicKey.init(base64:))
        if let first = lines.first, let keys = LedgerExportHeader.keys(first) {
            trusted += keys
            lines.removeFirst()
        }
        let verifier = LedgerVerifier(trustedKeys: trusted)
        let result = records ? verifier.verifyRecords(lines) : verifier.verify(lines)
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
