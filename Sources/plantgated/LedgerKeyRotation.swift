import ControlProtocol
import Foundation
import Gateway
import PlantModel

/// `plantgated --rotate-ledger-key`: rotates the ledger's key while the daemon is stopped, under the state
/// directory's lock (so the daemon cannot start meanwhile); `plantgate ledger rotate-key` runs it when no
/// daemon answers. The daemon publishes the new key at its next start.
enum LedgerKeyRotation {
    static func run(plan: PlantPlan) -> Int32 {
        do {
            let rotation = try LedgerRotation.rotateStopped(directory: plan.stateDirectory, site: plan.site.id)
            print("plantgated is not running: rotated here; it publishes the new key at its next start")
            rotation.summary.forEach { print($0) }
            return GatewayDaemon.ExitCode.ok
        } catch let error as StateDirectoryLockError {
            FileHandle.standardError.write(Data("key not rotated: \(error)\n".utf8))
            return GatewayDaemon.ExitCode.alreadyRunning
        } catch {
            FileHandle.standardError.write(Data("key not rotated: \(error)\n".utf8))
            return 69  // EX_UNAVAILABLE, as the CLI's
        }
    }
}
