import Foundation
import Gateway
import Modbus
import ModbusProtocol
import Outbox
import PlantModel
import Testing
import TestSupport

/// `mqtt.publish.provenance: true`: each raw value says where it was read and under which config.
@Suite("raw value provenance end to end", .serialized)
struct GatewayProvenanceTests {
    @Test func rawValuesCarryBusUnitRegisterFunctionCodeAndRevision() async throws {
        let broker = try await MosquittoBroker.start()
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port, publish: "{provenance: true}")
        let recorder = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/devices/pm/#")
        let daemon = try bench.startDaemon()
        let power = "plantgate/\(OutboxBench.site)/devices/pm/power"
        let tag = "plantgate/\(OutboxBench.site)/devices/pm/t007"
        #expect(await eventually(timeout: .seconds(20)) { !recorder.objects(on: power).isEmpty && !recorder.objects(on: tag).isEmpty },
                "log: \(daemon.log)")

        let revision = SourceRevision.of(text: try String(contentsOf: bench.configPath, encoding: .utf8))
        let powerSource = try #require(recorder.objects(on: power).first?["src"] as? [String: Any])
        #expect(powerSource["bus"] as? String == "mcc")
        #expect(powerSource["unit"] as? Int == 1)
        #expect(powerSource["reg"] as? Int == 1002)
        #expect(powerSource["fc"] as? Int == 3)
        #expect(powerSource["rev"] as? String == revision)
        #expect(recorder.objects(on: tag).first?["src"] as? [String: Any] != nil)
        #expect((recorder.objects(on: tag).first?["src"] as? [String: Any])?["reg"] as? Int == 7)

        // The same revision `plantgate status` reports, so an auditor can match the two.
        let status = try await ProcessRunner.runChecked(BuiltExecutable.path("plantgate"), ["status", "--socket", bench.socketPath, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
        #expect(report["config_revision"] as? String == revision)
        #expect(await daemon.terminate() == 0)
    }

    @Test func withoutTheOptionThereIsNoSource() async throws {
        let broker = try await MosquittoBroker.start()
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port)
        let recorder = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/devices/pm/power")
        let daemon = try bench.startDaemon()
        let power = "plantgate/\(OutboxBench.site)/devices/pm/power"
        #expect(await eventually(timeout: .seconds(20)) { !recorder.objects(on: power).isEmpty }, "log: \(daemon.log)")
        #expect(recorder.objects(on: power).first?["src"] == nil)
        #expect(recorder.objects(on: power).first?["v"] as? Double == 412.75)
        #expect(await daemon.terminate() == 0)
    }

    @Test func tableMapsEachTagToItsBusUnitAndRegister() throws {
        let text = OutboxBench.config(brokerPort: 1883, meterPort: 1502, directory: URL(fileURLWithPath: "/tmp"), extra: "",
                                      publish: "{provenance: true}")
        let plan = try ConfigLoader.load(yaml: text).get().plan
        let table = Provenance.table(for: plan)
        let energy = try #require(plan.tag(path: "pm/energy"))
        #expect(table.count == plan.tags.count)
        #expect(table[Int(energy.index)] == Provenance(bus: "mcc", unit: 1, register: 1000, functionCode: 3, configRevision: plan.revision))

        var writer = JSONWriter()
        let sample = Sample(tag: energy.index, value: 10, quality: .good, time: Instant(wallNanos: 1_795_770_900_250_000_000, monoNanos: 1))
        Payloads.value(sample, unit: "Wh", provenance: table[Int(energy.index)], into: &writer)
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"v":10,"u":"Wh","q":"good","t":"2026-11-27T09:15:00.250Z","src":{"bus":"mcc","unit":1,"reg":1000,"fc":3,"rev":"\#(plan.revision)"}}"#)

        let off = try ConfigLoader.load(yaml: text.replacingOccurrences(of: "publish: {provenance: true}", with: "")).get().plan
        #expect(Provenance.table(for: off).allSatisfy { $0 == nil })
    }
}
