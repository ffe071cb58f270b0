import ArgumentParser
import Foundation
import Ledger
import PlantgateConsole
import PlantModel

/// Finding and reading a configuration's ledger, and the export header, for the ledger commands.
enum LedgerFile {
    /// The ledger of `config`'s state directory, opened read-only.
    static func open(config: String) throws -> LedgerReader {
        let plan = try plan(config: config)
        do {
            return try LedgerReader(directory: plan.stateDirectory)
        } catch {
            throw Console.fail(CLIFailure("\(error)", status: PlantgateExit.unavailable))
        }
    }

    /// The compiled plan of `config`; its findings printed when it is invalid.
    static func plan(config: String) throws -> PlantPlan {
        switch ConfigFile.load(config) {
        case .success(let loaded):
            return loaded.plan
        case .failure(let diagnostics):
            Console.error(diagnostics.description)
            throw Console.fail(CLIFailure("configuration \(config) is invalid", status: PlantgateExit.config))
        }
    }

    /// The site of the chain (from its first entry).
    static func site(of lines: [[UInt8]]) -> String {
        guard let first = lines.first else { return "" }
        return (try? LedgerEntry(bytes: first).header.site) ?? ""
    }

    /// `text` with milliseconds, the form entries are stamped in, so that string order is time order.
    static func stamped(_ text: String?) -> String? {
        guard let text, !text.contains(".") else { return text }
        return text.dropLast() + ".000Z"
    }

    /// True for `YYYY-MM-DDTHH:MM:SSZ` (optionally with a fraction), the form the ledger stores.
    static func isTimestamp(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/) != nil
    }
}
