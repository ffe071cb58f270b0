import Foundation
import TestSupport
import Testing

/// `status` and `watch` find the daemon's socket from its config: `-c FILE`, else the installed config,
/// else the default path; the hint on failure says which one was tried and what else to give.
@Suite("plantgate status and watch find the control socket")
struct SocketDiscoveryTests {
    @Test(arguments: [["status"], ["watch", "--count", "1"]])
    func configOptionLeadsToTheDaemonsSocket(command: [String]) async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        // Only control_socket is read: the rest need not be valid (the password file may be unreadable to a technician).
        let config = try scratch.write("plantgate.yaml", "site: {id: x}\nmqtt: {username: u, password_file: /root/nope}\ncontrol_socket: \(daemon.path)\n")
        let result = try await PlantgateBinary.run(command + ["-c", config])
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        #expect(daemon.requests.count >= 1)
    }

    @Test func socketOptionWinsOverTheConfig() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let config = try scratch.write("plantgate.yaml", "control_socket: \(scratch.path)/elsewhere.sock\n")
        let result = try await PlantgateBinary.run(["status", "-c", config, "--socket", daemon.path])
        #expect(result.exitCode == 0)
    }

    @Test func notRunningNamesTheConfigTheSocketCameFrom() async throws {
        let scratch = try ScratchDirectory()
        let config = try scratch.write("plantgate.yaml", "control_socket: \(scratch.path)/control.sock\n")
        let result = try await PlantgateBinary.run(["status", "-c", config])
        #expect(result.exitCode == 69)
        #expect(result.standardError == "plantgate: plantgated is not running (No such file or directory on \(scratch.path)/control.sock): start it with systemctl start plantgated (the control_socket of \(config); give another config with -c, or the socket with --socket)\n")
    }

    @Test func configWithoutControlSocketMeansTheDefaultAndSaysSo() async throws {
        let scratch = try ScratchDirectory()
        let config = try scratch.write("plantgate.yaml", "site: {id: x}\n")
        let result = try await PlantgateBinary.run(["status", "-c", config])
        // Nothing listens on /run/plantgate/control.sock on a test machine.
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("on /run/plantgate/control.sock"))
        #expect(result.standardError.contains("(\(config) sets no control_socket; if plantgated runs with another config, give it with -c, or the socket with --socket)"))
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/etc/plantgate/plantgate.yaml"), "a box with plantgate installed"))
    func withoutAnyConfigTheHintSaysWhatToGive() async throws {
        let result = try await PlantgateBinary.run(["status"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.hasSuffix("(no /etc/plantgate/plantgate.yaml here; give the daemon's config with -c, or its socket with --socket)\n"), "\(result.standardError)")
    }

    @Test func unreadableConfigIsAUsageError() async throws {
        let result = try await PlantgateBinary.run(["watch", "-c", "/nonexistent/plantgate.yaml", "--count", "1"])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "plantgate: cannot read control_socket from /nonexistent/plantgate.yaml: no such file; give the daemon's config with -c or its socket with --socket\n")
    }
}
