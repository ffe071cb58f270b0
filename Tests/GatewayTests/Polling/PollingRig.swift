import Foundation
import Gateway
import Logging
import PlantModel
import Synchronization
import Testing

/// Runs the bus pollers of a plan compiled from YAML in-process, collects every sample they enqueue
/// and every log line they write.
final class PollingRig: Sendable {
    let plan: PlantPlan
    let queue = SampleQueue(capacity: 65_536)
    let log = CapturedLog()
    let pollers: [BusPoller]
    private let collected = Mutex<[Sample]>([])
    private let running = Mutex<Set<String>>([])
    private let draining = Atomic<Bool>(true)
    private let drained = DispatchSemaphore(value: 0)

    /// With `stateDirectory`, splits found by bisection are kept there (`read-splits.json`), as the daemon keeps them.
    init(yaml: String, stateDirectory: String? = nil) throws {
        switch ConfigLoader.load(yaml: yaml, file: "polling-test.yaml") {
        case .success(let loaded): plan = loaded.plan
        case .failure(let diagnostics): throw TestConfigError(description: "\(diagnostics)")
        }
        let queue = queue, log = log, plan = plan
        let splits = stateDirectory.map { ReadSplitMemory(directory: $0) }
        pollers = plan.buses.map { BusPoller(plan: $0, tags: plan.tags, queue: queue, logger: log.logger, splits: splits) }
        let thread = Thread { [self] in drainLoop() }
        thread.name = "test-drain"
        thread.start()
    }

    /// Starts the pollers of the named buses (all when nil).
    func start(buses: [String]? = nil) {
        for poller in pollers where buses?.contains(poller.plan.bus.id) ?? true {
            guard running.withLock({ $0.insert(poller.plan.bus.id).inserted }) else { continue }
            do { try poller.start() } catch { Issue.record("\(error)") }
        }
    }

    func poller(_ bus: String) -> BusPoller? { pollers.first { $0.plan.bus.id == bus } }

    /// Statistics of a device as its bus poller sees them now.
    func device(_ id: String) -> DeviceStatistics? {
        for poller in pollers {
            if let device = poller.monitor.snapshot.devices.first(where: { $0.id == id }) { return device }
        }
        return nil
    }

    func tag(_ path: String) -> TagIndex { plan.tag(path: path)?.index ?? -1 }

    /// Samples of one tag, in enqueue order.
    func samples(_ path: String) -> [Sample] {
        let index = tag(path)
        return collected.withLock { $0.filter { $0.tag == index } }
    }

    var allSamples: [Sample] { collected.withLock { $0 } }

    /// Stops every running poller, then the drain thread once it has taken the last samples.
    func stop() {
        for poller in pollers where running.withLock({ $0.remove(poller.plan.bus.id) != nil }) { poller.stop() }
        guard draining.exchange(false, ordering: .relaxed) else { return }
        queue.signal()
        drained.wait()
    }

    private func drainLoop() {
        var buffer = [Sample](repeating: Sample(tag: -1, value: .nan, quality: .bad, time: Instant(wallNanos: 0, monoNanos: 0)), count: 1024)
        while draining.load(ordering: .relaxed) {
            queue.wait(timeoutNanos: 20_000_000)
            drainOnce(&buffer)
        }
        drainOnce(&buffer)
        drained.signal()
    }

    private func drainOnce(_ buffer: inout [Sample]) {
        while true {
            let taken = buffer.withUnsafeMutableBufferPointer { queue.drain(into: $0) }
            if taken == 0 { return }
            collected.withLock { $0.append(contentsOf: buffer[0..<taken]) }
        }
    }
}

struct TestConfigError: Error, CustomStringConvertible {
    let description: String
}

