import Foundation
import Modbus
import ModbusProtocol
@testable import Simulator
import Synchronization
import Testing

/// The truth writer and the simulator's report of its own lateness, in process with a hand-set clock.
@Suite("Truth writing and the simulator's own lateness")
struct TruthAndLagTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    @Test func aReadKeptWaitingByTheSimulatorIsLoggedOnceWithItsFigure() throws {
        let fixture = try SimFixture()
        fixture.fastForward(to: 60)
        let mcc = try fixture.client("mcc", timeout: 1)
        for _ in 0..<20 { _ = try mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2) }
        // Ordinary reads do not count (allowing a stray one for a thread descheduled on a loaded box).
        #expect(fixture.simulation.lag.count <= 1, "\(fixture.simulation.lag)")
        let before = fixture.simulation.lag.count

        // Something inside the simulator holds the plant for 60 ms while a read arrives.
        let holding = DispatchSemaphore(value: 0)
        let simulation = fixture.simulation
        let thread = Thread {
            simulation.withPlant { _, _ in
                holding.signal()
                usleep(60_000)
            }
        }
        thread.start()
        holding.wait()
        _ = try mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2)
        let lag = fixture.simulation.lag
        #expect(lag.count >= before + 1 && lag.worstMilliseconds >= 30, "\(lag)")

        let output = Lines()
        let runner = SimulationRunner(simulation: fixture.simulation, servers: fixture.servers, truthPath: nil, truthInterval: 1, speed: 1,
                                      output: { output.append($0) })
        runner.tick()
        runner.tick()
        let behind = output.all.filter { $0.hasPrefix("simulator behind: a read of unit 1 on bus mcc waited ") }
        #expect(behind.count == 1, "\(output.all)")
        #expect(runner.stopSummary.contains("\(lag.count) request(s) waited over 10 ms for the simulator itself (worst \(ServingLag.text(lag.worstMilliseconds)) ms)"),
                "\(runner.stopSummary)")
    }

    @Test func truthLinesHaveNoGapWhateverTheBudget() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("truth.jsonl").path
        let fixture = try SimFixture()
        let runner = SimulationRunner(simulation: fixture.simulation, servers: fixture.servers, truthPath: path, truthInterval: 2, speed: 1, output: { _ in })
        fixture.clock.set(600)
        // No budget at all: one line a tick, never a skipped one.
        for _ in 0..<5 { runner.tick(budget: .zero) }
        #expect(try TruthLines(path: path).times == [0, 2, 4, 6, 8])
        // Then as many ticks as a loaded box needs to catch up with the 100 ms budget each.
        var ticks = 0
        repeat {
            runner.tick()
            ticks += 1
        } while ticks < 100 && (try? TruthLines(path: path))?.times.last != 600
        runner.finish()
        let truth = try TruthLines(path: path)
        #expect(truth.times.count == 301 && truth.firstGap(interval: 2) == nil, "\(truth.times.suffix(3)) \(truth.firstGap(interval: 2) ?? "")")
    }

    @Test func truthRecordsAreValidJSONWithSortedKeysAndNullForNaN() throws {
        var text = ""
        TruthJSON.write(["b": 1.5, "a": ["z": Double.nan, "y": 3.0] as [String: Double], "c": "quote \" and \\", "d": 7] as [String: Any], into: &text)
        #expect(text == #"{"a":{"y":3,"z":null},"b":1.5,"c":"quote \" and \\","d":7}"#)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["c"] as? String == "quote \" and \\")
    }

    @Test(arguments: [(1.0, 1.0), (10, 1), (60, 5), (480, 30), (1440, 120), (100_000, 3600)])
    func defaultTruthIntervalFollowsTheSpeed(speed: Double, interval: Double) {
        #expect(TruthCadence.defaultInterval(speed: speed) == interval)
        #expect(speed / interval <= TruthCadence.linesPerRealSecond || interval == 3600)
    }

    @Test func anchoredClockAgreesWithAnotherProcessGivenTheSameAnchor() {
        let anchor = Date().addingTimeInterval(-2)
        let clock = AcceleratedClock(speed: 1440, anchor: anchor)
        let (elapsed, expected) = (clock.elapsed(), Date().timeIntervalSince(anchor) * 1440)
        // Within 100 real ms (144 plant s) of the wall-clock reckoning another process would make; an
        // anchor ignored would be 2 real s (2,880 plant s) off.
        #expect(abs(elapsed - expected) < 144, "\(elapsed) vs \(expected)")
        #expect(clock.originWall == anchor)
        #expect(AcceleratedClock(speed: 1440, anchor: Date().addingTimeInterval(5)).elapsed() == 0, "before its anchor the plant waits at 0")
    }
}
