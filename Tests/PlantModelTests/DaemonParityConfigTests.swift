import Foundation
import Testing
@testable import PlantModel

/// What the daemon would refuse only at start (or later) is refused when the config is loaded, with
/// file:line, so that `plantgate check` and `plantgated` agree.
@Suite struct DaemonParityConfigTests {
    static func config(site: String = "test-site", interval: String = "1s", prefix: String? = nil) -> String {
        """
        site: {id: \(site), time_zone: UTC}
        \(prefix.map { "mqtt: {prefix: \($0)}" } ?? "")
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}
        devices:
          - id: pm-main
            bus: mcc
            unit: 1
            interval: \(interval)
            tags:
              energy: {register: "holding:3203", type: int64, unit: Wh, kind: counter}
        """
    }

    @Test func siteIDThatMakesTopicsLongerThanMQTTAllowsIsRefusedAtItsLine() {
        let messages = Fixtures.messages(Self.config(site: String(repeating: "s", count: 65_500)))
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.hasPrefix("plantgate.yaml:1: site.id: this value is 65500 bytes and makes MQTT topics of up to") == true, "\(messages)")
        #expect(messages.first?.contains("MQTT allows at most 65535 bytes per topic") == true)
    }

    @Test func longPrefixIsNamedWhenItIsTheLongestPart() {
        let messages = Fixtures.messages(Self.config(prefix: String(repeating: "p", count: 65_520)))
        #expect(messages.count == 1 && messages.first?.hasPrefix("plantgate.yaml:2: mqtt.prefix: this value is 65520 bytes") == true, "\(messages)")
    }

    @Test func controlSocketPathLongerThanAUnixSocketHoldsIsAWarning() throws {
        let path = "/run/" + String(repeating: "p", count: 120) + "/control.sock"
        guard case .success(let loaded) = ConfigLoader.load(yaml: Self.config() + "\ncontrol_socket: \(path)\n") else {
            Issue.record("refused: the daemon runs with it")
            return
        }
        #expect(loaded.warnings.map(\.description) == ["plantgate.yaml:13: warning: control_socket: the path is 138 bytes; a Unix socket path holds at most 107, so plantgate status and watch could not reach the daemon — choose a shorter path"])
    }

    /// One text in 16 has a hash with a leading zero nibble: all must still read as 16 hex digits.
    @Test func revisionIsAlwaysSixteenHexDigits() {
        let revisions = (0..<200).map { SourceRevision.of(text: "site: {id: s\($0)}") }
        #expect(revisions.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(revisions.contains { $0.hasPrefix("0") }, "the sample includes padded revisions")
    }

    @Test func ordinaryIDsMakeNoTopicError() {
        #expect(Fixtures.messages(Self.config(site: String(repeating: "s", count: 200))).isEmpty)
    }

    @Test(arguments: [("1 s", 1000), ("250 ms", 250), ("2 m", 120_000), ("1s", 1000)])
    func durationWithASpaceBeforeTheUnitMeansTheSame(text: String, milliseconds: Int64) throws {
        guard case .success(let loaded) = ConfigLoader.load(yaml: Self.config(interval: text)) else {
            Issue.record("\(text) refused")
            return
        }
        #expect(loaded.config.devices.first.map { DurationText.milliseconds($0.interval) } == milliseconds)
    }

    @Test(arguments: ["0 s", "-1 s", "0 ms"])
    func zeroOrNegativeWithASpaceIsTheBusyLoopError(text: String) {
        let messages = Fixtures.messages(Self.config(interval: text))
        #expect(messages == ["plantgate.yaml:10: devices[0].interval: interval must be > 0; a zero interval would busy-loop — use e.g. 1s"])
    }

    @Test func invalidUTF8IsNamedByLineAndColumn() throws {
        var bytes = Array(Self.config().utf8)
        // "unit: 1" on line 9 becomes "unit: \u{FC}1" in Latin-1 (one stray byte).
        let line9 = bytes.indices.filter { bytes[$0] == 0x0A }[7] + 1
        let column = Array(bytes[line9...].prefix { $0 != 0x0A }).firstIndex(of: UInt8(ascii: "1"))!
        bytes.insert(0xFC, at: line9 + column)
        guard case .failure(let diagnostics) = ConfigLoader.load(data: bytes, path: "/etc/plantgate/latin1.yaml") else {
            Issue.record("loaded")
            return
        }
        let name = "latin1.yaml"
        #expect(diagnostics.errors.map(\.description) == ["\(name):9:\(column + 1): not UTF-8 text here (a Latin-1 or Windows-1252 character, or a binary file?); save the file as UTF-8 or retype the character"])
    }

    @Test(arguments: [
        ([0x61, 0x0A, 0x62, 0xC3, 0xA9, 0xFF], 2, 3),   // after a two-byte é, a stray 0xFF
        ([0xE2, 0x82], 1, 1),                          // truncated three-byte sequence
        ([0x61, 0xED, 0xA0, 0x80], 1, 2),              // UTF-16 surrogate encoded in UTF-8
        ([0xC0, 0xAF], 1, 1),                          // overlong '/'
    ] as [([UInt8], Int, Int)])
    func firstInvalidByteIsFound(bytes: [UInt8], line: Int, column: Int) throws {
        let position = try #require(UTF8Position.firstInvalid(in: bytes))
        #expect(position.line == line && position.column == column)
    }

    @Test func wellFormedUTF8HasNoInvalidPosition() {
        #expect(UTF8Position.firstInvalid(in: Array("LiOH·H2O — 𝔘 ok\n".utf8)) == nil)
    }
}
