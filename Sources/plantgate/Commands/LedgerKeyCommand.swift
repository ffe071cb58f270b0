import ArgumentParser
import Ledger
import PlantgateConsole

/// `plantgate ledger key`: the public key and key id an auditor compares with the published one.
struct LedgerKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the ledger's public key and key id.",
        discussion: "Read from the key-created and key-rotated entries of the ledger; the private key is never printed."
    )

    @OptionGroup var options: LedgerConfigOption

    func run() async throws {
        let ledger = try LedgerFile.open(config: options.config)
        let keys = LedgerExportHeader.announcedKeys(in: try ledger.lines())
        guard let current = keys.last else {
            throw Console.fail(CLIFailure("\(ledger.path) announces no key yet (no key-created entry)", status: PlantgateExit.finding))
        }
        Console.out("key id:     \(current.id)")
        Console.out("public key: \(current.base64)  (Ed25519, 32 bytes, Base64)")
        if keys.count > 1 {
            Console.out("earlier keys: " + keys.dropLast().map(\.id).joined(separator: ", "))
        }
    }
}
