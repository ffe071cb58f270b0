import Foundation
import Testing
@testable import PlantModel

/// Each fixture in BrokenConfigs/ holds one mistake; the loader must refuse it with a message that
/// names the file, the line of the mistake, the key path and the fix.
@Suite struct BrokenConfigTests {
    static let cases: [(fixture: String, expected: String)] = [
        ("unknown-type", #"plantgate.yaml:12: devices[0].tags.freq.type: unknown type "flaot32"; did you mean "float32"?"#),
        ("unknown-key", #"plantgate.yaml:9: devices[0].unti: unknown key "unti"; did you mean "unit"?"#),
        ("zero-interval", "plantgate.yaml:10: devices[0].interval: interval must be > 0; a zero interval would busy-loop"),
        ("negative-interval", "plantgate.yaml:10: devices[0].interval: interval must be > 0"),
        ("tag-interval-zero", "plantgate.yaml:12: devices[0].tags.freq.interval: interval must be > 0"),
        ("port-over-65535", "plantgate.yaml:5: buses[0].tcp.port: 70000 is out of range; must be 1…65535"),
        ("keepalive-too-short", "plantgate.yaml:4: mqtt.keepalive: keepalive must be at least 5s"),
        ("keepalive-too-long", "plantgate.yaml:4: mqtt.keepalive: keepalive must be at most 65535s (18h 12m 15s; MQTT carries it in two bytes)"),
        ("unknown-bus", #"plantgate.yaml:8: devices[0].bus: unknown bus "mc"; did you mean "mcc"?"#),
        ("string-over-125", "plantgate.yaml:12: devices[0].tags.freq.length: 130 is out of range; must be 1…125 registers (one request reads at most 125)"),
        ("duplicate-topic", "plantgate.yaml:14: devices[0].tags.frequency: tags freq and frequency of device pm-main both publish to topic …/devices/pm-main/freq"),
        ("duplicate-device", #"plantgate.yaml:14: devices[1].id: duplicate device id "pm-main" (also devices[0] at line 7)"#),
        ("password-in-config", "plantgate.yaml:3: mqtt.password: secrets are never written in plantgate.yaml; put the password in a file"),
        ("serial-unit-zero", "plantgate.yaml:9: devices[0].unit: unit id 0 is outside 1…247 allowed on a serial bus"),
        ("tcp-unit-256", "plantgate.yaml:9: devices[0].unit: 256 is out of range; must be 0…255"),
        ("overlap-disagrees", "plantgate.yaml:14: devices[0].tags.energy_low: register holding:3203 is also read as int64 ABCD by tag energy, here as uint32 ABCD"),
        ("flow-as-withdrawal", #"plantgate.yaml:19: lines[0].inputs[0].role: pm-main/flow: unit "m3/h" does not fit role water_withdrawal, which needs a counter in m3"#),
        ("power-as-energy", #"plantgate.yaml:19: lines[0].inputs[0].role: pm-main/power: unit "kW" does not fit role electricity_import, which needs a counter in kWh"#),
        ("unknown-input-tag", #"plantgate.yaml:18: lines[0].inputs[0].tag: device pm-main has no tag "energi"; did you mean "energy"?"#),
        ("unknown-input-device", #"plantgate.yaml:18: lines[0].inputs[0].tag: unknown device "pm-mian"; did you mean "pm-main"?"#),
        ("unknown-profile", #"plantgate.yaml:11: devices[0].profile: unknown profile "schneider-pm5000"; did you mean "schneider-pm5xxx"?"#),
        ("missing-unit", #"plantgate.yaml:7: devices[0]: missing required key "unit"; add `unit: 1`"#),
        ("unit-not-a-number", #"plantgate.yaml:9: devices[0].unit: expected a whole number (Modbus unit id), found "one""#),
        ("bare-number-interval", "plantgate.yaml:10: devices[0].interval: expected a duration like 250ms, 2s, 1m or 1h, found \"1\" (a bare number has no unit: write 1s or 1ms)"),
        ("bad-register", #"plantgate.yaml:12: devices[0].tags.freq.register: expected "holding|input|coil|discrete:ADDRESS""#),
        ("bad-time-zone", #"plantgate.yaml:2: site.time_zone: unknown time zone "Asia/Almati"; did you mean "Asia/Almaty"?"#),
        ("syntax-error", "plantgate.yaml:13: not valid YAML:"),
        ("missing-fuel-factor", #"plantgate.yaml:19: lines[0].inputs[0].fuel: fuel "natural_gas" has no emission factor; add it under factors.fuels"#),
        ("bits-without-bit", "plantgate.yaml:12: devices[0].tags.alarm: type bits needs exactly one of `bit: N` or `bits: \"LOW-HIGH\"`"),
        ("coil-as-float", "plantgate.yaml:12: devices[0].tags.freq.type: coil addresses hold single bits; use type bool"),
        ("duplicate-key", "plantgate.yaml:11: not valid YAML: duplicate keys unit"),
        ("unknown-role", #"plantgate.yaml:18: lines[0].inputs[0].role: unknown role "electricity_imports"; did you mean "electricity_import"?"#),
        ("min-above-max", "plantgate.yaml:12: devices[0].tags.freq.min: min 55.0 is above max 45.0; swap them"),
        ("empty-value", "plantgate.yaml:8: devices[0].bus: value is empty; give a value or remove the key"),
        ("sparkplug-slash-in-group", #"plantgate.yaml:4: mqtt.sparkplug.group_id: "site/a" is not a valid Sparkplug id: it contains '/'"#),
        ("sparkplug-missing-edge-node", #"plantgate.yaml:5: mqtt.sparkplug: missing required key "edge_node_id"; add `edge_node_id: plantgate-1`"#),
        ("password-file-missing", "plantgate.yaml:5: mqtt.password_file: /nonexistent/plantgate/mqtt.pass does not exist; create it with the broker password"),
        ("password-file-empty", "plantgate.yaml:5: mqtt.password_file: /dev/null is empty; write the broker password in it"),
        ("password-file-endless", "plantgate.yaml:5: mqtt.password_file: /dev/zero is larger than 1024 KB; is it the file holding the broker password?"),
        ("client-id-empty", "plantgate.yaml:4: mqtt.client_id: the client id is empty; give one or remove the key"),
        ("state-dir-is-a-file", "plantgate.yaml:12: state_dir: /dev/null is a file, so plantgated cannot keep its state in /dev/null/plantgate; remove the file or choose another state_dir"),
        ("tls-ca-file-missing", "plantgate.yaml:4: mqtt.tls.ca_file: /nonexistent/plantgate/ca.pem does not exist; create it with the CA certificate or correct the path"),
        ("sparkplug-line-named-like-device", "plantgate.yaml:19: lines[0].id: line pm-main and device pm-main would be the same Sparkplug device (mqtt.sparkplug); rename one of them"),
        ("sparkplug-unknown-mode", #"plantgate.yaml:7: mqtt.sparkplug.mode: unknown Sparkplug mode "insted"; did you mean "instead"?"#),
    ]

    @Test(arguments: cases)
    func brokenConfigIsRefusedWithLineAndFix(fixture: String, expected: String) throws {
        let messages = Fixtures.messages(try Fixtures.broken(fixture))
        #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
    }

    @Test func everyFixtureIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.testsDirectory.appendingPathComponent("BrokenConfigs").path)
        let covered = Set(Self.cases.map { "\($0.fixture).yaml" })
        #expect(Set(files.filter { $0.hasSuffix(".yaml") }) == covered)
    }

    @Test func allErrorsAreReportedAtOnce() {
        let yaml = """
        site: {id: s}
        buses:
          - {id: a, tcp: {host: h, port: 0}}
        devices:
          - {id: d, bus: b, unit: 1, interval: 0s, tags: {t: {register: "holding:1", type: flaot32}}}
        """
        let messages = Fixtures.messages(yaml)
        #expect(messages.contains { $0.hasPrefix("plantgate.yaml:3: buses[0].tcp.port:") })
        #expect(messages.contains { $0.hasPrefix("plantgate.yaml:5: devices[0].interval:") })
        #expect(messages.contains { $0.hasPrefix("plantgate.yaml:5: devices[0].tags.t.type:") })
        #expect(messages.count >= 3)
    }

    @Test func everyErrorHasALineNumber() throws {
        for (fixture, _) in Self.cases {
            if case .failure(let diagnostics) = ConfigLoader.load(yaml: try Fixtures.broken(fixture)) {
                #expect(diagnostics.errors.allSatisfy { $0.line > 0 }, "\(fixture): \(diagnostics.errors)")
            }
        }
    }
}
