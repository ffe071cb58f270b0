import ESG
import Ledger
import PlantModel

/// Tells the ledger when a device goes down and when it answers again: one `device-down` and one
/// `device-up` per outage, never one per failed poll. Runs on the engine thread, after each pass's health
/// report; a device not polled yet is neither.
struct DeviceOutages {
    private let ledger: LedgerWriter
    /// Device id → the line inputs it feeds.
    private let inputs: [String: [LedgerOutage.Input]]
    /// Device id → the open outage and when it began (nil: up, or not polled yet).
    private var down: [String: (outage: LedgerOutage, atNanos: Int64)] = [:]

    init(inputs: [String: [LedgerOutage.Input]], ledger: LedgerWriter) {
        self.inputs = inputs
        self.ledger = ledger
    }

    init(plan: PlantPlan, ledger: LedgerWriter) {
        var inputs: [String: [LedgerOutage.Input]] = [:]
        for line in plan.lines {
            for input in line.inputs where Int(input.tag) < plan.tags.count {
                inputs[plan.tags[Int(input.tag)].device, default: []].append(.init(line: line.id, tag: input.tagPath))
            }
        }
        self.init(inputs: inputs, ledger: ledger)
    }

    /// The devices of every bus as the pass's health report read them.
    mutating func note(_ buses: [BusStatistics], plantNowNanos: Int64) {
        for bus in buses { for device in bus.devices { note(device, plantNowNanos: plantNowNanos) } }
    }

    mutating func note(_ device: DeviceStatistics, plantNowNanos: Int64) {
        if device.up {
            guard let open = down.removeValue(forKey: device.id) else { return }
            var outage = open.outage
            let upNanos = device.lastGoodPollWallNanos ?? plantNowNanos
            outage.upAt = UTCTimestamp.rfc3339(upNanos)
            outage.seconds = Double(max(0, upNanos - open.atNanos)) / 1e9
            ledger.append(.deviceUp(outage))
        } else if device.cycles > 0, down[device.id] == nil {
            let at = device.lastErrorWallNanos ?? plantNowNanos
            let outage = LedgerOutage(device: device.id, reason: device.lastError ?? "no answer", downAt: UTCTimestamp.rfc3339(at),
                                      inputs: inputs[device.id] ?? [])
            down[device.id] = (outage, at)
            ledger.append(.deviceDown(outage))
        }
    }
}
