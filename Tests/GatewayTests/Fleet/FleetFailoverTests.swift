import Foundation
import Modbus
import MQTT
import Testing
import TestSupport

/// A central broker pair: the site bridge's `address` lists the main broker first and a standby second.
/// Killing the main one under load moves the bridge to the standby; when the main one is back the bridge
/// returns to it. Between the two, a historian on each broker has every period record once the pair is read
/// together.
@Suite("Fleet: the site bridge fails over between two central brokers", .serialized, .timeLimit(.minutes(4)))
struct FleetFailoverTests {
    @Test("main central broker killed under load: the bridge moves to the standby and back; no period record lost")
    func bridgeFailsOverAndReturns() async throws {
        let pki = try await TestCertificates.generate(clientCommonName: FleetPKI.controlRoom)
        defer { pki.remove() }
        let main = try await FleetTemplates.central(pki: pki)
        let standby = try await FleetTemplates.central(pki: pki)
        let credentials = MQTTCredentials(username: FleetPKI.controlRoom, password: FleetPKI.controlRoomPassword)
        let atMain = try await Inbox(broker: main, filter: "plantgate/+/lines/#", clientID: "historian-main", credentials: credentials)
        let atStandby = try await Inbox(broker: standby, filter: "plantgate/+/lines/#", clientID: "historian-standby", credentials: credentials)
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let site = "north"
        let siteBroker = try await FleetTemplates.site(site, central: main, standby: standby, pki: pki)
        let bench = try OutboxBench(brokerPort: siteBroker.port, meterPort: meter.port, site: site, tagCount: 0, interval: "500ms")
        let gateway = try bench.startDaemon()
        func ledger(_ inbox: Inbox) -> FleetLedger { FleetLedger(site: site, messages: inbox.messages) }

        #expect(await eventually(timeout: .seconds(30)) { !ledger(atMain).hourSeqs.isEmpty }, "log: \(gateway.log)")
        await main.kill()
        let killedAt = bench.plantNow
        // The bridge connects to the standby and the records flow there, hours closed after the kill among them.
        #expect(await eventually(timeout: .seconds(40), pollInterval: .milliseconds(250)) {
            ledger(atStandby).hourSeqs.count >= 3 && ledger(atStandby).hourEnds.contains { $0 > killedAt }
        }, "standby got \(ledger(atStandby).hourSeqs); site broker log: \(siteBroker.log.suffix(2000))")
        try await main.start()
        // Back on the main broker: it receives a record newer than any the standby has.
        #expect(await eventually(timeout: .seconds(90), pollInterval: .milliseconds(250)) {
            guard let newest = ledger(atMain).hourSeqs.max() else { return false }
            return ledger(atStandby).hourSeqs.allSatisfy { $0 < newest }
        }, "main: \(ledger(atMain).hourSeqs), standby: \(ledger(atStandby).hourSeqs); site broker log: \(siteBroker.log.suffix(2000))")

        // Read together, the pair has every closed hour, without a gap; each broker's copy is in order.
        func ends() -> Set<Date> { ledger(atMain).hourEnds.union(ledger(atStandby).hourEnds) }
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) { ends().isSuperset(of: bench.closedHourEnds()) },
                "hours missing across the pair: \(bench.closedHourEnds().filter { !ends().contains($0) })")
        let union = Set(ledger(atMain).hourSeqs + ledger(atStandby).hourSeqs).sorted()
        #expect(union == Array((union.first ?? 0)...(union.last ?? 0)), "seq gap across the pair: \(union)")
        for inbox in [atMain, atStandby] { #expect(ledger(inbox).hourSeqs == ledger(inbox).hourSeqs.sorted()) }
        #expect(await gateway.terminate() == 0)
    }
}
