import ArgumentParser
import ControlProtocol
import Foundation
import PlantgateConsole
import PlantModel
import POSIX

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
            Self.print(rotation)
        case .failure(let error) where error.kind == .notRunning:
            // The daemon's program owns the ledger's writing (GRDB, the state lock): the CLI links neither.
            throw Self.handOver(config: options.config)
        case .failure(let error):
            throw Console.fail(CLIFailure(error.description, status: error.status))
        }
    }

    /// What both programs print after a rotation.
    static func print(_ rotation: LedgerRotation) {
        Console.out("old key id: \(rotation.oldKeyID)  (kept as \(rotation.oldKeyFile))")
        Console.out("new key id: \(rotation.keyID)")
        Console.out("public key: \(rotation.publicKey)  (Ed25519, 32 bytes, Base64)")
        Console.out("announced by entry n=\(rotation.entry), signed with the old key")
    }

    /// Replaces this process with `plantgated --rotate-ledger-key --config CONFIG` from the same directory.
    private static func handOver(config: String) -> ExitCode {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let daemon = ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("plantgated")
        guard FileManager.default.isExecutableFile(atPath: daemon) else {
            return Console.fail(CLIFailure("plantgated is not running, and \(daemon), which rotates the key while it is stopped, is missing: "
                + "install the plantgate package again, or start plantgated and run this again", status: PlantgateExit.unavailable))
        }
        let failure = ProgramImage.replace(with: daemon, arguments: ["plantgated", "--rotate-ledger-key", "--config", config])
        return Console.fail(CLIFailure("cannot run \(daemon): \(failure.reason)", status: PlantgateExit.unavailable))
    }
}
