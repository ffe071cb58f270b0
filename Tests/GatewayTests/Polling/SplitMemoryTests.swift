import Foundation
import Gateway
import Logging
import Modbus
import PlantModel
import Testing
import TestSupport

/// A block the planner joined across registers the meter lacks: bisection finds the working parts,
/// leaves no error behind, says so in one line with the fix, and the next start of the same config
/// reads the parts at once.
@Suite("Split requests remembered across restarts", .serialized)
struct SplitMemoryTests {
    @Test func aBlockSpanningMissingRegistersIsSplitOnceWithoutAnErrorAndRemembered() async throws {
        // Tags at 3100 and 3104 (joined by max_gap 8); the meter has nothing at 3102.
        let meter = OracleMeter(refusing: [3102])
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let tags = [#"a: {register: "holding:3100", type: uint16}"#, #"b: {register: "holding:3104", type: uint16}"#]
        let yaml = PollingConfigs.oneMeter(port: server.port, interval: "100ms", tags: tags, bus: "response_timeout: 200ms")
        let state = try temporaryDirectory().path

        let first = try PollingRig(yaml: yaml, stateDirectory: state)
        first.start()
        #expect(await eventually { first.samples("m/a").count { $0.quality == .good } >= 5 && first.samples("m/b").count { $0.quality == .good } >= 5 })
        first.stop()
        #expect(meter.refusals == 1, "the joined block was asked \(meter.refusals) times")
        let device = try #require(first.device("m"))
        #expect(device.lastError == nil, "the resolved split left an error: \(device.lastError ?? "")")
        #expect(device.errors.total == 0 && device.refusedTags == 0 && device.up)
        let notes = first.log.lines(atLeast: .notice)
        #expect(notes.count { $0.contains("max_gap: 0") } == 1, "\(notes)")
        let note = try #require(notes.first { $0.contains("max_gap: 0") })
        #expect(note.contains("FC03 3100+5") && note.contains("FC03 3100+1, FC03 3104+1") && note.contains("device m"), "\(note)")
        #expect(!notes.contains { $0.contains("0-based") || $0.contains("illegal data address):") && $0.contains("check the address") })
        #expect(FileManager.default.fileExists(atPath: state + "/read-splits.json"))

        // The same config again: the parts are read from the first cycle; the meter is never asked the joined block.
        let second = try PollingRig(yaml: yaml, stateDirectory: state)
        second.start()
        defer { second.stop() }
        #expect(await eventually { second.samples("m/a").count { $0.quality == .good } >= 5 && second.samples("m/b").count { $0.quality == .good } >= 5 })
        #expect(meter.refusals == 1)
        #expect(second.samples("m/a").allSatisfy { $0.quality == .good && $0.value == 4100 })
        #expect(second.log.lines(atLeast: .info).contains { $0.contains("as split on an earlier run") })
    }

    @Test func aChangedConfigDoesNotUseTheRememberedSplit() async throws {
        let meter = OracleMeter(refusing: [3102])
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let state = try temporaryDirectory().path
        let before = [#"a: {register: "holding:3100", type: uint16}"#, #"b: {register: "holding:3104", type: uint16}"#]
        let after = [#"a: {register: "holding:3100", type: uint16}"#, #"c: {register: "holding:3105", type: uint16}"#]
        for (round, tags) in [before, after].enumerated() {
            let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "100ms", tags: tags, bus: "response_timeout: 200ms"),
                                     stateDirectory: state)
            rig.start()
            #expect(await eventually { rig.samples("m/a").count { $0.quality == .good } >= 3 })
            rig.stop()
            #expect(meter.refusals == round + 1, "round \(round): the changed block is bisected afresh")
        }
    }
}
