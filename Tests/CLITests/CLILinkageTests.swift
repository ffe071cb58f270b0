import Foundation
import TestSupport
import Testing

/// `plantgate` links only what its commands need: no MQTT library, no GRDB, no SwiftProtobuf (the runtime's
/// dependencies); `plantgate fleet` runs the companion `plantgate-fleet`, the one program of the CLI that
/// speaks MQTT. Checked on the built executables with the tools a packager uses: `ldd` and `nm`.
@Suite("plantgate links no daemon runtime")
struct CLILinkageTests {
    static let fleetPath = PlantgateBinary.packageRoot.appendingPathComponent(".build/debug/plantgate-fleet").path
    static let daemonPath = PlantgateBinary.packageRoot.appendingPathComponent(".build/debug/plantgated").path

    @Test func plantgateLinksNoMosquittoGRDBOrProtobuf() async throws {
        let libraries = try await ProcessRunner.runChecked("/usr/bin/ldd", [PlantgateBinary.path])
        #expect(!libraries.standardOutput.contains("libmosquitto"), "ldd plantgate:\n\(libraries.standardOutput)")
        #expect(libraries.standardOutput.contains("libsqlite3"), "the ledger commands read SQLite: \(libraries.standardOutput)")
        let symbols = try await Self.symbols(PlantgateBinary.path)
        // Swift mangles a module name as its length and the name: 4GRDB, 13SwiftProtobuf.
        #expect(!symbols.contains("4GRDB"), "plantgate holds GRDB symbols")
        #expect(!symbols.contains("13SwiftProtobuf"), "plantgate holds SwiftProtobuf symbols")
        #expect(!symbols.contains("mosquitto_"), "plantgate refers to libmosquitto functions")
        #expect(!symbols.contains("7Gateway"), "plantgate holds the daemon runtime (Gateway)")
    }

    /// The same checks find what they look for where it is: the companion links libmosquitto.
    @Test func fleetCompanionLinksMosquitto() async throws {
        let libraries = try await ProcessRunner.runChecked("/usr/bin/ldd", [Self.fleetPath])
        #expect(libraries.standardOutput.contains("libmosquitto"), "ldd plantgate-fleet:\n\(libraries.standardOutput)")
        #expect(try await Self.symbols(Self.fleetPath).contains("mosquitto_"))
    }

    /// The symbol probes find the runtime where it is linked, so their silence on `plantgate` means something.
    @Test func daemonHoldsTheRuntimeTheCLILeavesOut() async throws {
        let symbols = try await Self.symbols(Self.daemonPath)
        #expect(symbols.contains("4GRDB"), "plantgated holds no GRDB symbols: the probe is wrong")
        #expect(symbols.contains("13SwiftProtobuf"), "plantgated holds no SwiftProtobuf symbols: the probe is wrong")
        #expect(symbols.contains("7Gateway"), "plantgated holds no Gateway symbols: the probe is wrong")
    }

    /// `plantgate fleet` without its companion says which file is missing.
    @Test func fleetWithoutCompanionNamesTheMissingFile() async throws {
        let scratch = try ScratchDirectory()
        let copy = scratch.path + "/plantgate"
        // Copied by cp, not in this process: a descriptor open for writing here would leak into children
        // other tests spawn meanwhile and keep the copy "text file busy" for as long as they run.
        _ = try await ProcessRunner.runChecked("/bin/cp", [PlantgateBinary.path, copy])
        let result = try await ProcessRunner.run(copy, ["fleet", "--broker", "127.0.0.1:1"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("\(scratch.path)/plantgate-fleet"), "\(result.standardError)")
        #expect(result.standardError.contains("missing"), "\(result.standardError)")
    }

    private static func symbols(_ path: String) async throws -> String {
        // Every symbol, and the dynamic ones (the C functions it calls in shared libraries).
        let all = try await ProcessRunner.runChecked("/usr/bin/nm", [path], timeout: .seconds(60)).standardOutput
        let dynamic = try await ProcessRunner.runChecked("/usr/bin/nm", ["-D", path]).standardOutput
        return all + dynamic
    }
}
