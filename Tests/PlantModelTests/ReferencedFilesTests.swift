import ConfigFiles
import Foundation
import Testing
@testable import PlantModel

/// The checks of the files a config names, on a lookup held in memory: the model asks, it never reads.
@Suite struct ReferencedFilesTests {
    static func yaml(mqtt: String, stateDirectory: String = "/var/lib/plantgate") -> String {
        """
        site: {id: s, time_zone: UTC}
        mqtt:
        \(mqtt)
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}
        devices:
          - id: pm
            bus: mcc
            unit: 1
            tags:
              energy: {register: "holding:3203", type: int64, unit: Wh, kind: counter}
        state_dir: \(stateDirectory)
        """
    }

    /// A file system of a few paths; everything else is missing.
    static func files(_ entries: [String: FileLookup]) -> ConfigFileReader {
        { entries[$0] ?? .missing }
    }

    static let base: [String: FileLookup] = ["/var": .directory, "/var/lib": .directory, "/var/lib/plantgate": .directory]

    static func messages(_ yaml: String, _ entries: [String: FileLookup]) -> [String] {
        Fixtures.messages(yaml, files: files(base.merging(entries) { $1 }))
    }

    @Test func aPasswordFileTheServiceUserCannotReadNamesTheUserAndTheFix() {
        let found = Self.messages(Self.yaml(mqtt: "  username: gw\n  password_file: /etc/plantgate/mqtt.pass"),
                                  ["/etc/plantgate/mqtt.pass": .unreadable(user: "technician")])
        #expect(found == ["plantgate.yaml:4: mqtt.password_file: /etc/plantgate/mqtt.pass cannot be read by user technician; plantgated reads it as its service user: let group plantgate read it, and run this check as that user (sudo -u plantgate plantgate check)"])
    }

    @Test func tlsMaterialThatIsADirectoryOrTooLargeIsNamedPerKey() {
        let found = Self.messages(Self.yaml(mqtt: "  tls: {ca_file: /etc/ssl/ca, cert_file: /etc/ssl/gw.pem, key_file: /etc/ssl/gw.key}"), [
            "/etc/ssl/ca": .directory,
            "/etc/ssl/gw.pem": .file([UInt8](repeating: 0x2D, count: FileLookup.readLimit + 1)),
            "/etc/ssl/gw.key": .file(Array("-----BEGIN PRIVATE KEY-----\n".utf8)),
        ])
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("plantgate.yaml:3: mqtt.tls.ca_file: /etc/ssl/ca is a directory; give the file holding the CA certificate") })
        #expect(found.contains { $0.hasPrefix("plantgate.yaml:3: mqtt.tls.cert_file: /etc/ssl/gw.pem is larger than 1024 KB") })
    }

    @Test func withoutCAFileTheSystemBundleMustExist() {
        let tls = Self.yaml(mqtt: "  tls: {}")
        #expect(Self.messages(tls, [:]).contains { $0.contains("/etc/ssl/certs/ca-certificates.crt does not exist") })
        #expect(Self.messages(tls, ["/etc/ssl/certs/ca-certificates.crt": .file(Array("pem".utf8))]).isEmpty)
    }

    @Test func aStateDirectoryUnderAFileIsRefusedAndAMissingOneIsCreatedLater() {
        let underFile = Self.messages(Self.yaml(mqtt: "  host: 127.0.0.1", stateDirectory: "/srv/plant/state"), ["/srv": .directory, "/srv/plant": .file([])])
        #expect(underFile == ["plantgate.yaml:13: state_dir: /srv/plant is a file, so plantgated cannot keep its state in /srv/plant/state; remove the file or choose another state_dir"])
        #expect(Self.messages(Self.yaml(mqtt: "  host: 127.0.0.1", stateDirectory: "/srv/new/state"), ["/srv": .directory]).isEmpty)
    }

    @Test func withoutALookupTheNamedFilesAreNotChecked() {
        #expect(Fixtures.messages(Self.yaml(mqtt: "  username: gw\n  password_file: /nowhere/mqtt.pass"), files: nil).isEmpty)
    }

    @Test(arguments: [("/var/lib/plantgate", "/var/lib"), ("/var/", "/"), ("/var", "/"), ("state", "")])
    func parentDirectories(path: String, parent: String) {
        #expect(ReferencedFiles.parent(of: path) == parent)
    }
}

/// The caller's side: `ConfigFiles` reads the configuration itself from disk.
@Suite struct ConfigFilesTests {
    @Test func aConfigurationLargerThan64MBIsRefusedNotParsedInPart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString.prefix(8)).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A valid start, then a sparse tail of zeros to one byte over the limit.
        FileManager.default.createFile(atPath: path, contents: Data("site: {id: s}\n".utf8))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(64 << 20) + 1)
        try handle.close()
        guard case .failure(let diagnostics) = ConfigFiles.load(path) else {
            Issue.record("a 64 MB + 1 byte file loaded")
            return
        }
        #expect(diagnostics.errors.map(\.message) == ["larger than 64 MB, which no plantgate.yaml is; is it the configuration file?"])
    }
}
