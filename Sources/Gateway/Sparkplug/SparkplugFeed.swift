import ESG
import PlantModel
import Sparkplug

/// What the engine thread gathered for Sparkplug since the last flush: the newest update of each
/// metric per device, and what it last knew about each meter's health. Arrays keep their capacity
/// between passes, so a steady plant does not allocate here.
struct SparkplugFeed: Sendable {
    private let catalogue: SparkplugCatalogue
    private var pending: [[SparkplugValueUpdate]]
    private var dirty: [Int] = []
    private var meterUp: [String: Bool] = [:]
    /// Line metric updates taken so far (for `BirthReadiness`).
    private(set) var lineUpdates = 0

    init(catalogue: SparkplugCatalogue) {
        self.catalogue = catalogue
        pending = catalogue.devices.map { device in
            var updates: [SparkplugValueUpdate] = []
            updates.reserveCapacity(device.metrics.count)
            return updates
        }
        dirty.reserveCapacity(catalogue.devices.count)
    }

    mutating func add(_ sample: Sample) {
        let index = Int(sample.tag)
        guard index >= 0, index < catalogue.tagRoutes.count else { return }
        let route = catalogue.tagRoutes[index]
        guard route.device >= 0 else { return }
        append(device: route.device, SparkplugValueUpdate(
            metric: route.name, value: .double(sample.value), quality: sample.quality,
            timestampMs: UInt64(max(0, sample.time.wallNanos / 1_000_000))))
    }

    mutating func add(_ update: MetricUpdate) {
        lineUpdates &+= 1
        guard let device = catalogue.lineDevices[update.line],
              let name = catalogue.lineMetricNames[update.line]?[.init(metric: update.metric, window: update.window)] else { return }
        append(device: device, SparkplugValueUpdate(
            metric: name, value: update.value.value.map(SparkplugValue.double), quality: update.value.quality,
            timestampMs: UInt64(max(0, update.wallNanos / 1_000_000))))
    }

    private mutating func append(device: Int, _ update: SparkplugValueUpdate) {
        if pending[device].isEmpty { dirty.append(device) }
        pending[device].append(update)
    }

    /// Hands every device's gathered updates to `publish` (device id, updates), then forgets them.
    mutating func flush(_ publish: (String, [SparkplugValueUpdate]) -> Void) {
        for device in dirty {
            publish(catalogue.devices[device].id, pending[device])
            pending[device].removeAll(keepingCapacity: true)
        }
        dirty.removeAll(keepingCapacity: true)
    }

    /// Whether every meter has finished two poll cycles (answered or failed): two readings give a counter
    /// its first delta and power its first trapezoid.
    func everyMeterPolled(_ pollers: [BusPoller]) -> Bool {
        pollers.allSatisfy { $0.monitor.snapshot.devices.allSatisfy { $0.cycles > 1 } }
    }

    /// Health changes since the last call, from the bus monitors: meters that went down or came back.
    /// A meter not polled yet has no health.
    mutating func healthChanges(_ pollers: [BusPoller]) -> [(device: String, up: Bool)] {
        var changes: [(device: String, up: Bool)] = []
        for poller in pollers {
            for device in poller.monitor.snapshot.devices where device.cycles > 0 && meterUp[device.id] != device.up {
                if catalogue.meterDevices[device.id] != nil, meterUp[device.id] != nil || !device.up {
                    changes.append((device.id, device.up))
                }
                meterUp[device.id] = device.up
            }
        }
        return changes
    }
}
