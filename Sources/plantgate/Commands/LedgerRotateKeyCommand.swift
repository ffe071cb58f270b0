import ArgumentParser
import Gateway
import PlantModel

/// `plantgate ledger rotate-key`: moves the box to a new signing key, announced in the chain by an entry
/// signed with the old key.
struct LedgerRotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Move the ledger to a new signing key (the old key signs the announcement).",
        discussion: """
            A running plantgated does it (asked on its control socket) and publishes the new key retained on \
            {prefix}/{site}/ledger/key. When it is not running, this command does it itself under the state \
            directory's lock; the daemon publishes the new key at its next start. Run as the service user. The \
            old private key stays in the state directory as ledger.key.<key id hex>, mode 0600.
            """
    )

    @OptionGroup var options: LedgerConfigOption

    func run() async throws {
        let plan = try LedgerFile.plan(config: options.config)
        let socket = SocketLocation(path: plan.controlSocket, origin: .config(options.config))
        let rotation: LedgerRotation
        switch await DaemonQuery.ask(ControlRequest(command: .rotateKey), socket: socket, expecting: LedgerRotation.self) {
        case .success(let (answer, _)):
            rotation = answer
            Console.out("rotated by the running plantgated; the new key is published retained on \(plan.mqtt.prefix)/\(plan.site.id)/ledger/key")
        case .failure(let error) where error.kind == .notRunning:
            let (directory, site) = (plan.stateDirectory, plan.site.id)
            let result = await BlockingWork.run("ledger") { Result { try LedgerRotation.rotateStopped(directory: directory, site: site) } }
            do {
                rotation = try result.get()
            } catch {
                throw Console.fail(CLIFailure("key not rotated: \(error)", status: PlantgateExit.unavailable))
            }
            Console.out("plantgated is not running: rotated here; it publishes the new key at its next start")
        case .failure(let error):
            throw Console.fail(CLIFailure(error.description, status: error.status))
        }
        Console.out("old key id: \(rotation.oldKeyID)  (kept as \(rotation.oldKeyFile))")
        Console.out("new key id: \(rotation.keyID)")
        Console.out("public key: \(rotation.publicKey)  (Ed25519, 32 bytes, Base64)")
        Console.out("announced by entry n=\(rotation.entry), signed with the old key")
    }
}
