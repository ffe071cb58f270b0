import Foundation
import Modbus
import ModbusProtocol
import Simulator
import Testing

/// Each fault, as a Modbus client sees it.
@Suite("Injected faults")
struct FaultTests {
    static func fixture(_ faults: [String]) throws -> SimFixture {
        try SimFixture(schedule: FaultSchedule(faults: try faults.map { spec throws in try FaultFlag.parse(spec) }))
    }

    @Test func timeoutSilencesOnlyItsMeterForItsWindow() throws {
        let fixture = try Self.fixture(["pm-aux:timeout@10s+20s"])
        let mcc = try fixture.client("mcc", timeout: 0.2)
        #expect(try mcc.readRegisters(.input, unit: 3, address: 52, count: 2).count == 2)
        fixture.fastForward(to: 15)
        let error = #expect(throws: ModbusError.self) { try mcc.readRegisters(.input, unit: 3, address: 52, count: 2) }
        #expect(error?.kind == .timeout)
        mcc.flush()
        #expect(try mcc.readRegisters(.holding, unit: 1, address: 3059, count: 2).count == 2)
        fixture.fastForward(to: 31)
        #expect(try mcc.readRegisters(.input, unit: 3, address: 52, count: 2).count == 2)
    }

    @Test func exceptionForOneRegisterWhileItsNeighboursReadFine() throws {
        let fixture = try Self.fixture(["pm-main:exception=illegal_data_address/3109@0s"])
        let mcc = try fixture.client("mcc")
        let error = #expect(throws: ModbusError.self) { try mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2) }
        #expect(error?.kind == .exception(.illegalDataAddress))
        let block = #expect(throws: ModbusError.self) { try mcc.readRegisters(.holding, unit: 1, address: 3053, count: 60) }
        #expect(block?.kind == .exception(.illegalDataAddress))
        #expect(try mcc.readRegisters(.holding, unit: 1, address: 3053, count: 56).count == 56)
        #expect(try mcc.readRegisters(.holding, unit: 1, address: 3111, count: 2).count == 2)
    }

    @Test(arguments: ["wrong_tid", "wrong_function", "byte_count_large", "truncated"])
    func garbledRepliesAreErrors(kind: String) throws {
        let fixture = try Self.fixture(["scale-product:garbled=\(kind)@0s+60s"])
        let field = try fixture.client("field", timeout: 0.3)
        #expect(throws: ModbusError.self) { try field.readRegisters(.holding, unit: 7, address: 0, count: 8) }
    }

    @Test func busyAndDisconnect() throws {
        let fixture = try Self.fixture(["gas-calciner:busy@0s+10s", "pm-main:disconnect@0s+10s"])
        let field = try fixture.client("field")
        let busy = #expect(throws: ModbusError.self) { try field.readRegisters(.holding, unit: 6, address: 0, count: 10) }
        #expect(busy?.kind == .exception(.serverDeviceBusy))
        let mcc = try fixture.client("mcc")
        let lost = #expect(throws: ModbusError.self) { try mcc.readRegisters(.holding, unit: 1, address: 3059, count: 2) }
        #expect(lost?.kind == .connectionLost || lost?.requiresReconnect == true)
    }

    @Test func slowReplyArrivesLate() throws {
        let fixture = try Self.fixture(["fm-intake:slow=400ms@0s+60s"])
        let slowClient = try fixture.client("field", timeout: 0.15)
        let error = #expect(throws: ModbusError.self) { try slowClient.readRegisters(.holding, unit: 2, address: 2008, count: 2) }
        #expect(error?.kind == .timeout)
        let patient = try fixture.client("field", timeout: 2)
        let began = ContinuousClock.now
        #expect(try patient.readRegisters(.holding, unit: 2, address: 2008, count: 2).count == 2)
        #expect(ContinuousClock.now - began >= .milliseconds(350))
    }

    @Test func resetRestartsTheCounterAndChangesTheMarker() throws {
        let fixture = try Self.fixture(["pm-main:reset@1h"])
        let mcc = try fixture.client("mcc")
        fixture.fastForward(to: 3_599)
        let before = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "energy_import")
        let markerBefore = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "energy_reset_time")
        fixture.fastForward(to: 3_660)
        let after = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "energy_import")
        let markerAfter = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "energy_reset_time")
        #expect(before > 8_000_000)
        #expect(after < 200_000 && after > 100_000)   // one minute at ~8.8 MW ≈ 147 kWh
        #expect(markerAfter != markerBefore)
        #expect(markerAfter == Double(Int(SimFixture.start.timeIntervalSince1970) + 3_600))
        let log = fixture.simulation.drainLog()
        #expect(log.contains { $0.contains("pm-main reset") })
    }

    @Test func nanWhileTheConditionIsReported() throws {
        let fixture = try Self.fixture(["fm-recycle:nan=5@10s+10s"])
        let field = try fixture.client("field")
        #expect(try fixture.read(field, unit: 4, profile: "eh-promag", tag: "volume_flow").isFinite)
        fixture.fastForward(to: 12)
        #expect(try fixture.read(field, unit: 4, profile: "eh-promag", tag: "volume_flow").isNaN)
        #expect(try fixture.read(field, unit: 4, profile: "eh-promag", tag: "system_condition") == 5)
        #expect(try fixture.read(field, unit: 4, profile: "eh-promag", tag: "volume_total") > 0)
        fixture.fastForward(to: 25)
        #expect(try fixture.read(field, unit: 4, profile: "eh-promag", tag: "system_condition") == 1)
    }

    @Test func frozenValuesStayWhileTheTruthMovesOn() throws {
        let fixture = try Self.fixture(["fm-discharge:frozen@60s+60s"])
        let field = try fixture.client("field")
        fixture.fastForward(to: 61)
        let first = try field.readRegisters(.holding, unit: 5, address: 2609, count: 4)
        fixture.fastForward(to: 110)
        #expect(try field.readRegisters(.holding, unit: 5, address: 2609, count: 4) == first)
        fixture.fastForward(to: 130)
        #expect(try field.readRegisters(.holding, unit: 5, address: 2609, count: 4) != first)
    }

    @Test func spikeMultipliesThePrimaryGauge() throws {
        let fixture = try Self.fixture(["pm-main:spike=1000@10s+5s"])
        let mcc = try fixture.client("mcc")
        fixture.fastForward(to: 11)
        #expect(try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "power_total") > 1_000_000)
    }

    @Test func rolloverJumpWrapsTheUint32CounterSoon() throws {
        let fixture = try Self.fixture(["gas-calciner:rollover=volume_corrected/10@60s"])
        let field = try fixture.client("field")
        fixture.fastForward(to: 60)
        let near = try fixture.read(field, unit: 6, profile: "gas-ek", tag: "volume_corrected")
        #expect(abs(near - (42_949_672.96 - 10)) < 0.02)
        fixture.fastForward(to: 70)   // ~14 Nm3 later: wrapped
        let wrapped = try fixture.read(field, unit: 6, profile: "gas-ek", tag: "volume_corrected")
        #expect(wrapped < 10)
        let jumps = fixture.simulation.withPlant { plant, t in plant.meter("gas-calciner")?.jumps(at: t)[0] ?? 0 }
        #expect(jumps > 42_000_000)
    }

    @Test func replacementIsSilentThenStartsFromZero() throws {
        let fixture = try Self.fixture(["pm-aux:replacement@1h+2m"])
        let mcc = try fixture.client("mcc", timeout: 0.2)
        fixture.fastForward(to: 3_650)
        #expect(throws: ModbusError.self) { try mcc.readRegisters(.input, unit: 3, address: 72, count: 2) }
        mcc.flush()
        fixture.fastForward(to: 3_780)
        let kwh = try fixture.read(mcc, unit: 3, profile: "eastron-sdm630", tag: "energy_import")
        #expect(kwh > 0 && kwh < 5)   // 60 s at ~250 kW ≈ 4.2 kWh
    }
}
