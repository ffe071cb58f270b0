import ArgumentParser
import ControlProtocol
import Foundation
import PlantgateConsole
import PlantModel

/// `plantgate ledger rotate-key`: moves the box to a new signing key, announced in the chain by an entry
/// signed with the old key.
struct LedgerRotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Move the ledger to a new signing key (the old key signs the announcement).",
        discussion: """
            A running plantgated does it (asked on its control socket) and publishes the new key retained on \
            {prefix}/{site}/ledger/key. When it is not running, this runs `plantgated --rotate-ledger-key` (installed \
            next to plantgate), which does it under the state directory's lock; the daemon publishes the new key \
            at its next start. Run as the service user. The old private key stays in the state directory as \
            ledger.key.<key id hex>, mode 0600.
            """
    )

    @OptionGroup var options: LedgerConfigOption

    func run() async throws {
        let plan = try LedgerFile.plan(config: options.config)
        let socket = SocketLocation(path: plan.controlSocket, origin: .config(options.config))
        switch await DaemonQuery.ask(ControlRequest(command: .rotateKey), socket: socket, expecting: LedgerRotation.self) {
        case .success(let (rotation, _)):
            Console.out("rotated by the running plantgated; the new key is published retained on \(plan.topics.ledgerKey)")
            rotation.summary.forEach(Console.out)
        case .failure(let error) where error.kind == .notRunning:
            // The daemon's program owns the ledger's writing (GRDB, the state lock): the CLI links neither.
            throw Self.handOver(config: options.config)
        case .failure(let error):
            throw Console.fail(CLIFailure(error.description, status: error.status))
        }
    }

    /// Replaces this process with `plantgated --rotate-ledger-key --config CONFIG` from the same directory.
    private static func handOver(config: String) -> ExitCode {
        SiblingProgram.replace(with: "plantgated", arguments: ["--rotate-ledger-key", "--config", config]) { path in
            "plantgated is not running, and \(path), which rotates the key while it is stopped, is missing: "
                + "install the plantgate package again, or start plantgated and run this again"
        }
    }
}
