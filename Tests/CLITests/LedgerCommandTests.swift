import Foundation
import TestSupport
import Testing

/// `plantgate ledger` on files, without a daemon: the documented example entry, a tampered copy, and the
/// mistakes a user makes (no ledger yet, no such file, nothing to verify).
@Suite("plantgate ledger")
struct LedgerCommandTests {
    /// The worked example of docs/verifying.md as a one-entry export (it starts at n=2: the key comes from the header).
    static func export() throws -> String {
        let page = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("docs/verifying.md"), encoding: .utf8)
        let entry = try #require(page.split(separator: "\n").first { $0.hasPrefix("{\"event\":\"start\"") })
        let header = "{\"plantgate_ledger_export\":1,\"site\":\"kz-lioh\",\"keys\":[{\"key_id\":\"ed25519:14fb79129eb988c8\","
            + "\"public_key\":\"fIz7yY7HWcvYOdINIxS4FJnTjA5wH3IN/ANj8Yd/QMc=\"}],\"from\":null,\"to\":null}"
        return header + "\n" + entry + "\n"
    }

    @Test func anExportVerifiesAndNamesItsKey() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("export.jsonl", try Self.export())
        let result = try await PlantgateBinary.run(["ledger", "verify", file])
        #expect(result.exitCode == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("OK \(file): 1 entries (n=2…2), 0 period records, 1 events"))
        #expect(result.standardOutput.contains("signed by key id ed25519:14fb79129eb988c8"))
    }

    @Test func aChangedByteFailsWithTheBrokenEntry() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("export.jsonl", try Self.export().replacingOccurrences(of: "\"version\":\"0.1.0\"", with: "\"version\":\"0.1.1\""))
        let result = try await PlantgateBinary.run(["ledger", "verify", file])
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.contains("BROKEN \(file): entry 1 (n=2): the signed bytes changed"), "\(result.standardOutput)")
    }

    @Test func aConfigWithoutALedgerYetSaysSo() async throws {
        let scratch = try ScratchDirectory()
        let config = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "state_dir: /var/lib/plantgate", with: "state_dir: \(scratch.path)/state")
        let file = try scratch.write("plantgate.yaml", config)
        for command in [["verify", "-c", file], ["export", "-c", file], ["key", "-c", file]] {
            let result = try await PlantgateBinary.run(["ledger"] + command)
            #expect(result.exitCode == 69, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("no ledger at \(scratch.path)/state/ledger.sqlite"), "\(result.standardError)")
        }
        // No daemon on the config's socket: rotate-key would rotate the state directory itself, but there is no ledger to rotate.
        let local = try scratch.write("local.yaml", config.replacingOccurrences(of: "control_socket: /run/plantgate/control.sock",
                                                                                with: "control_socket: \(scratch.path)/control.sock"))
        let rotate = try await PlantgateBinary.run(["ledger", "rotate-key", "-c", local])
        #expect(rotate.exitCode == 69, "\(rotate.standardOutput)\(rotate.standardError)")
        #expect(rotate.standardError.contains("key not rotated: no ledger at \(scratch.path)/state/ledger.sqlite"), "\(rotate.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/state/ledger.key"))
    }

    @Test func verifyNeedsExactlyOneSource() async throws {
        let none = try await PlantgateBinary.run(["ledger", "verify"])
        #expect(none.exitCode == 2)
        #expect(none.standardError.contains("give either an export FILE (- for standard input) or -c CONFIG"))
        let missing = try await PlantgateBinary.run(["ledger", "verify", "/nonexistent/export.jsonl"])
        #expect(missing.exitCode == 69)
        #expect(missing.standardError.contains("cannot read /nonexistent/export.jsonl"))
    }

    @Test func exportRejectsATimeItCannotRead() async throws {
        let result = try await PlantgateBinary.run(["ledger", "export", "--from", "yesterday"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--from yesterday is not an RFC 3339 UTC time like 2026-11-01T00:00:00Z"))
    }
}
