import Foundation
import Modbus
import Synchronization
import MQTT
import Testing
import TestSupport

/// The site-broker layout of `Deploy/fleet/` on loopback: two sites, each a real plantgated publishing to
/// its own mosquitto, bridged over TLS with client certificates to a central mosquitto, where a historian
/// holds a persistent session. Plant clock 360× real time (an hourly period closes every 10 s); the two
/// gateways poll one `ChangingMeter`.
@Suite("Fleet: site brokers bridged to a central broker", .serialized, .timeLimit(.minutes(6)))
struct FleetBridgeTests {
    static let sites = ["north", "south"]
    static let outage: Duration = .seconds(60)

    @Test("central broker down 60 s, then a site broker down 60 s: every period record and metric reaches the central historian, in order")
    func outages() async throws {
        let pki = try await TestCertificates.generate(clientCommonName: FleetPKI.controlRoom)
        defer { pki.remove() }
        let central = try await FleetTemplates.central(pki: pki)
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let historian = try await Inbox(broker: central, filter: "plantgate/+/lines/#", clientID: "historian",
                                        credentials: MQTTCredentials(username: FleetPKI.controlRoom, password: FleetPKI.controlRoomPassword))
        var siteBrokers: [MosquittoBroker] = []
        var benches: [OutboxBench] = []
        var gateways: [BuiltExecutable] = []
        for site in Self.sites {
            let broker = try await FleetTemplates.site(site, central: central, pki: pki)
            siteBrokers.append(broker)
            let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port, site: site, tagCount: 0, interval: "500ms")
            benches.append(bench)
            gateways.append(try bench.startDaemon())
        }
        // Each site's plant clock started within a second of the others'; outage times are read from the first.
        let clock = benches[0]
        func ledger(_ site: String) -> FleetLedger { FleetLedger(site: site, messages: historian.messages) }
        func bench(_ site: String) -> OutboxBench { benches[Self.sites.firstIndex(of: site) ?? 0] }
        func logs() -> String { zip(Self.sites, gateways).map { "\($0): \($1.log)" }.joined(separator: "\n") }

        #expect(await eventually(timeout: .seconds(30)) { Self.sites.allSatisfy { !ledger($0).hourSeqs.isEmpty } }, "\(logs())")
        // Each bridge logged in with its own certificate: the central broker took the CN as its username.
        for site in Self.sites { #expect(central.log.contains("u'\(site)'"), "bridge of \(site) not seen: \(central.log.suffix(2000))") }
        _ = try await Self.fleetView(central: central, pki: pki) { sites in
            Self.sites.allSatisfy { sites[$0]?["online"] as? Bool == true && sites[$0]?["bridge_up"] as? Bool == true }
        }

        // 1. The central broker is away: the site brokers queue for their bridges.
        await central.stop()
        var start = clock.plantNow
        try await Task.sleep(for: Self.outage)
        var end = clock.plantNow
        try await central.start()
        let afterCentral = end
        #expect(await eventually(timeout: .seconds(60), pollInterval: .milliseconds(250)) {
            Self.sites.allSatisfy { ledger($0).isComplete(clock: bench($0), after: afterCentral) }
        }, "central outage: \(Self.sites.map { "\($0) \(ledger($0).hourSeqs)" }); \(logs())")
        for site in Self.sites { ledger(site).expectLossless(outageStart: start, end: end, clock: bench(site), "central outage, \(site)") }

        // 2. The first site's broker is away: its gateway's outbox holds the data.
        let site = Self.sites[0]
        await siteBrokers[0].stop()
        start = clock.plantNow
        let outageBegan = ContinuousClock.now
        // The control room sees it: `plantgate fleet` on the central broker shows the site cut off.
        let sites = try await Self.fleetView(central: central, pki: pki) { $0["north"]?["bridge_up"] as? Bool == false }
        #expect(sites["north"]?["online"] as? Bool == false && sites["south"]?["online"] as? Bool == true, "fleet: \(sites)")
        try await Task.sleep(until: outageBegan.advanced(by: Self.outage))
        end = clock.plantNow
        try await siteBrokers[0].start()
        let afterSite = end
        #expect(await eventually(timeout: .seconds(60), pollInterval: .milliseconds(250)) {
            ledger(site).isComplete(clock: bench(site), after: afterSite)
        }, "site outage: \(ledger(site).hourSeqs); \(gateways[0].log)")
        ledger(site).expectLossless(outageStart: start, end: end, clock: bench(site), "site broker outage, \(site)")
        let replayed = ledger(site).metricsByTopic.values.joined().filter { $0["hist"] as? Bool == true }.count
        #expect(replayed > 0, "the gateway replayed its outbox (hist:true) after the site broker came back")
        // The other site never noticed (an hour that closed a moment ago may still be on its way over the bridge).
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) {
            ledger(Self.sites[1]).isComplete(clock: bench(Self.sites[1]), after: afterSite)
        }, "south: \(ledger(Self.sites[1]).hourSeqs)")

        for gateway in gateways { #expect(await gateway.terminate() == 0) }
        historian.client.disconnect()
    }

    @Test("a site's certificate cannot publish under another site's prefix at the central broker")
    func siteWritesOnlyItsOwnPrefix() async throws {
        let pki = try await TestCertificates.generate(clientCommonName: FleetPKI.controlRoom)
        defer { pki.remove() }
        let central = try await FleetTemplates.central(pki: pki)
        let watcher = try await Inbox(broker: central, filter: "plantgate/#",
                                      credentials: MQTTCredentials(username: FleetPKI.controlRoom, password: FleetPKI.controlRoomPassword))
        let north = try await FleetPKI.issue(commonName: "north", in: pki)
        guard let tlsPort = central.tlsPort else { throw TestSupportError("no TLS listener") }
        let certificate = MQTTTLSOptions(caFile: pki.caFile, certificateFile: north.certificate, keyFile: north.key)
        // One connection per attempt: mosquitto 2.0.11 answers a denied QoS 1 publish with "PUBACK (rc135)" and the
        // client's TLS session then fails (EPROTO), so a later publish on it would not be sent at all.
        for (index, topic) in ["plantgate/south/status", "plantgate/south/lines/l1/periods/hour"].enumerated() {
            let impostor = try await Self.connectedClient(port: tlsPort, clientID: "impostor-\(index)", tls: certificate)
            _ = try impostor.publish(topic: topic, text: #"{"state":"offline","seq":1}"#, qos: .atLeastOnce, retain: index == 0)
            #expect(await eventually(timeout: .seconds(10)) { central.log.contains("Denied PUBLISH from impostor-\(index) (d0, q1, r\(index == 0 ? 1 : 0), m1, '\(topic)'") },
                    "the broker refuses and logs it: \(central.log.suffix(1500))")
            impostor.disconnect()
        }
        // The same certificate under its own prefix is the control: it arrives, so the subscriber would have seen the others.
        let own = try await Self.connectedClient(port: tlsPort, clientID: "north-own", tls: certificate)
        _ = try own.publish(topic: "plantgate/north/status", text: #"{"state":"online"}"#, qos: .atLeastOnce, retain: true)
        #expect(await eventually(timeout: .seconds(10)) { !watcher.messages(on: "plantgate/north/status").isEmpty })
        #expect(watcher.messages.filter { $0.topic.hasPrefix("plantgate/south/") }.isEmpty, "north wrote under south's prefix")
        own.disconnect()
    }

    @Test("Sparkplug across the bridge: the site's node goes out, the primary host's STATE and the node's NCMD come in, nothing else")
    func sparkplugCrossesTheBridge() async throws {
        let pki = try await TestCertificates.generate(clientCommonName: FleetPKI.controlRoom)
        defer { pki.remove() }
        let central = try await FleetTemplates.central(pki: pki)
        let site = try await FleetTemplates.site("north", central: central, pki: pki)
        let atCentral = try await Inbox(broker: central, filter: "spBv1.0/#",
                                        credentials: MQTTCredentials(username: FleetPKI.controlRoom, password: FleetPKI.controlRoomPassword))
        let atSite = try await Inbox(broker: site, filter: "spBv1.0/#")
        #expect(await eventually(timeout: .seconds(10)) { central.log.contains("u'north'") }, "the bridge connects")

        let node = try await Self.connectedClient(port: site.port, tls: nil)
        for (topic, text) in [("spBv1.0/g1/NBIRTH/north", "birth"), ("spBv1.0/g1/DDATA/north/pm", "data"), ("spBv1.0/g1/NBIRTH/south", "not this site's")] {
            _ = try node.publish(topic: topic, text: text, qos: .atLeastOnce)
        }
        let hostCertificate = try await FleetPKI.issue(commonName: "scada-host", in: pki)
        guard let tlsPort = central.tlsPort else { throw TestSupportError("no TLS listener") }
        let host = try await Self.connectedClient(port: tlsPort, tls: MQTTTLSOptions(
            caFile: pki.caFile, certificateFile: hostCertificate.certificate, keyFile: hostCertificate.key))
        _ = try host.publish(topic: "spBv1.0/STATE/scada-host", text: #"{"online":true,"timestamp":1}"#, qos: .atLeastOnce, retain: true)
        _ = try host.publish(topic: "spBv1.0/g1/NCMD/south", text: "another node's", qos: .atLeastOnce)
        _ = try host.publish(topic: "spBv1.0/g1/NCMD/north", text: "rebirth", qos: .atLeastOnce)

        // The last message of each direction arriving means the earlier ones were decided.
        #expect(await eventually(timeout: .seconds(10)) {
            !atSite.messages(on: "spBv1.0/g1/NCMD/north").isEmpty && !atCentral.messages(on: "spBv1.0/g1/DDATA/north/pm").isEmpty
        }, "central: \(atCentral.messages.map(\.topic)); site: \(atSite.messages.map(\.topic))")
        #expect(atCentral.messages(on: "spBv1.0/g1/NBIRTH/north").count == 1)
        #expect(atCentral.messages(on: "spBv1.0/g1/NBIRTH/south").isEmpty, "another node's birth stays on the site")
        #expect(atSite.messages(on: "spBv1.0/STATE/scada-host").count == 1, "STATE comes in once (no loop back out)")
        #expect(atCentral.messages(on: "spBv1.0/STATE/scada-host").count == 1)
        #expect(atSite.messages(on: "spBv1.0/g1/NCMD/south").isEmpty, "another node's command stays central")
        node.disconnect()
        host.disconnect()
    }

    /// `plantgate fleet --json` against the central broker with the control room's certificate, repeated
    /// (bounded) until `condition` holds on its sites; returns them by site id.
    static func fleetView(central: MosquittoBroker, pki: TestCertificates,
                          until condition: ([String: [String: Any]]) -> Bool) async throws -> [String: [String: Any]] {
        guard let tlsPort = central.tlsPort else { throw TestSupportError("no TLS listener") }
        let arguments = ["fleet", "--broker", "127.0.0.1:\(tlsPort)", "--cafile", pki.caFile, "--cert", pki.clientCertificateFile,
                         "--key", pki.clientKeyFile, "--wait", "500ms", "--json"]
        var sites: [String: [String: Any]] = [:]
        var output = ""
        let seen = await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) {
            guard let result = try? await ProcessRunner.run(BuiltExecutable.path("plantgate"), arguments) else { return false }
            output = result.standardOutput + result.standardError
            let report = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any]
            sites = Dictionary((report?["sites"] as? [[String: Any]] ?? []).compactMap { site in (site["site"] as? String).map { ($0, site) } },
                               uniquingKeysWith: { first, _ in first })
            return condition(sites)
        }
        #expect(seen, "plantgate fleet: \(output)")
        return sites
    }

    static func connectedClient(port: Int, clientID: String = "fleet-\(UUID().uuidString.prefix(8))", tls: MQTTTLSOptions?) async throws -> MQTTClient {
        let client = try MQTTClient(options: MQTTClientOptions(
            host: "127.0.0.1", port: port, clientID: clientID, keepaliveSeconds: 10, tls: tls))
        let connected = Atomic(false)
        client.onConnect { if case .accepted = $0 { connected.store(true, ordering: .relaxed) } }
        try client.connect()
        guard await eventually(timeout: .seconds(10), { connected.load(ordering: .relaxed) }) else {
            throw TestSupportError("no connection to 127.0.0.1:\(port)")
        }
        return client
    }
}
