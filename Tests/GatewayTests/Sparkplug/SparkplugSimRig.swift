import Foundation
import Testing
import TestSupport

/// `plantgate sim` (the lithium-hydroxide plant) behind a Sparkplug edge node `g1/gw1`, with a host-side
/// recorder on `spBv1.0/#` and `plantgate/#` and the independent decoder: the setup of the outage tests.
struct SparkplugSimRig {
    /// The broker, `plantgate sim` and the directory (config, state, control socket, logs).
    let gateway: GatewayHarness
    let recorder: SparkplugRecorder
    let decoder: SparkplugWireDecoder
    let daemon: BuiltExecutable

    /// The meter's JSON raw topic: the same samples as its Sparkplug `power_total`, the outage tests' reference.
    static let powerTopic = "plantgate/spsim/devices/pm-main/power_total"

    static func start(primaryHost: String? = nil, beforeDaemon: (SparkplugRecorder) throws -> Void = { _ in }) async throws -> SparkplugSimRig {
        let gateway = try await GatewayHarness.start("plantgate-sparkplug-sim") { _ in [] }
        let broker = gateway.broker
        let port = try #require(gateway.simulatorPort)
        let recorder = try await SparkplugRecorder(port: broker.port, filters: ["spBv1.0/#", "plantgate/#"])
        try beforeDaemon(recorder)
        let config = """
            site: {id: spsim, time_zone: UTC}
            mqtt:
              host: 127.0.0.1
              port: \(broker.port)
              prefix: plantgate
              keepalive: 5s
              reconnect: {min: 200ms, max: 1s}
              sparkplug: {group_id: g1, edge_node_id: gw1, mode: alongside\(primaryHost.map { ", primary_host_id: \($0)" } ?? "")}
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(port)}}
            devices:
              - {id: pm-main, bus: mcc, unit: 1, interval: 500ms, profile: schneider-pm5xxx, only: [power_total, frequency]}
            """
        let daemon = try gateway.startDaemon(config: config)
        return SparkplugSimRig(
            gateway: gateway, recorder: recorder, decoder: try await SparkplugWireDecoder.make(in: gateway.directory), daemon: daemon)
    }

    var broker: MosquittoBroker { gateway.broker }

    func stop() async {
        _ = await daemon.terminate()
        await gateway.simulator?.kill()
    }

    /// The births since the `count`-th NBIRTH (NBIRTH and the meter's DBIRTH), within 30 s.
    func waitForBirths(_ count: Int) async -> Bool {
        await eventually(timeout: .seconds(30)) {
            let messages = recorder.messages
            guard messages.filter({ $0.type == "NBIRTH" }).count >= count,
                  let last = messages.lastIndex(where: { $0.type == "NBIRTH" }) else { return false }
            return messages[last...].contains { $0.type == "DBIRTH" && $0.device == "pm-main" }
        }
    }

    /// `plantgate status --json`'s Sparkplug section.
    func sparkplugStatus() async throws -> [String: Any]? {
        let json = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--json", "--socket", gateway.controlSocket])
        return (try? JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])?["sparkplug"] as? [String: Any]
    }

    /// Every value change of the meter's power the JSON topic saw with a sample time in `window`, in time
    /// order: what the edge node must replay. Duplicates (a JSON replay) count once.
    func powerChanges(in window: ClosedRange<Date>) -> [(ms: UInt64, value: Double?)] {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var samples: [UInt64: (value: Double?, quality: String)] = [:]
        for message in recorder.messages where message.topic == Self.powerTopic {
            guard let object = try? JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any],
                  let time = (object["t"] as? String).flatMap(format.date(from:)) else { continue }
            let ms = UInt64((time.timeIntervalSince1970 * 1000).rounded())
            samples[ms] = ((object["v"] as? NSNumber)?.doubleValue, object["q"] as? String ?? "")
        }
        var changes: [(ms: UInt64, value: Double?)] = []
        var previous: (value: Double?, quality: String)?
        for ms in samples.keys.sorted() {
            let sample = samples[ms]!
            defer { previous = sample }
            if let previous, previous.value == sample.value, previous.quality == sample.quality { continue }
            let time = Date(timeIntervalSince1970: Double(ms) / 1000)
            if window.contains(time) { changes.append((ms, sample.value)) }
        }
        return changes
    }

    /// Checks what followed the last NBIRTH: births first, then `power_total`'s kept changes as DDATA
    /// flagged historical in order (each of `expected` among them), then live DDATA; seq without a gap.
    func expectReplay(of expected: [(ms: UInt64, value: Double?)]) async throws {
        let last = try #require(recorder.messages.lastIndex { $0.type == "NBIRTH" })
        let sequenced = recorder.sequenced(after: last)
        let decoded = try await decoder.decode(sequenced.map(\.payload))
        let seqs = decoded.compactMap(\.seq)
        #expect(seqs.count == decoded.count && seqs.first == 0)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { ($0 + 1) % 256 == $1 }, "seq: \(seqs)")

        let birthIndex = try #require(sequenced.firstIndex { $0.type == "DBIRTH" && $0.device == "pm-main" })
        let alias = try #require(decoded[birthIndex].metric("power_total")?.alias)
        var replayed: [(ms: UInt64, value: Double?)] = []
        var liveSeen = false
        for (message, payload) in zip(sequenced, decoded) where message.type == "DDATA" && message.device == "pm-main" {
            let historical = payload.metrics.filter(\.is_historical)
            if historical.isEmpty {
                liveSeen = true
                continue
            }
            #expect(!liveSeen, "a historical DDATA after a live one")
            #expect(historical.count == payload.metrics.count, "a DDATA mixes historical and live metrics: \(payload.metrics)")
            #expect(sequenced.firstIndex { $0.payload == message.payload }.map { $0 > birthIndex } == true, "historical DDATA before the DBIRTH")
            for metric in historical where metric.alias == alias {
                replayed.append((metric.timestamp ?? 0, metric.is_null ? nil : metric.value.flatMap(Double.init)))
            }
        }
        #expect(liveSeen, "no live DDATA after the replay")
        #expect(zip(replayed, replayed.dropFirst()).allSatisfy { $0.ms <= $1.ms }, "replay out of order: \(replayed.map(\.ms))")
        let missing = expected.filter { change in
            !replayed.contains { abs(Int64($0.ms) - Int64(change.ms)) <= 1 && Self.same($0.value, change.value) }
        }
        #expect(missing.isEmpty, "\(missing.count) of \(expected.count) changes not replayed: \(missing.prefix(5)); replayed \(replayed.count)")
        print("Sparkplug replay: \(replayed.count) historical power_total values, \(expected.count) changes expected from the JSON topic, \(missing.count) missing")
    }

    private static func same(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= max(1e-9, abs(b) * 1e-9)
    }
}
