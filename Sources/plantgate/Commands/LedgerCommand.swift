import ArgumentParser

/// `plantgate ledger`: the signed, hash-chained record of the site's figures and events.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Show the signing key, export and verify the tamper-evident ledger.",
        discussion: """
            The ledger is read from the state directory of the configuration, read-only; the daemon may keep \
            running. rotate-key asks the running daemon, or works on the state directory when it is stopped. \
            See docs/verifying.md.
            """,
        subcommands: [LedgerKeyCommand.self, LedgerExportCommand.self, LedgerVerifyCommand.self, LedgerRotateKeyCommand.self]
    )
}

/// The `-c CONFIG` option the ledger commands share.
struct LedgerConfigOption: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("config")],
            help: ArgumentHelp("The configuration file whose state directory holds the ledger.", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String = CheckCommand.defaultPath
}
