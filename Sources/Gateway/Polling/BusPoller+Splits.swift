import Logging
import Modbus
import ModbusProtocol
import PlantModel

/// Blocks a device refuses ("illegal data address"): bisection, and splits remembered across restarts.
extension BusPoller {
    /// Splits a block the device refused until the offending registers are isolated; the rest keep working.
    func bisect(_ request: ReadRequest, firstError: ModbusError, device: inout PollingDevice, client: ModbusClient,
                        words: inout [UInt16], bits: inout [UInt8]) -> [ReadRequest] {
        var splitter = BlockSplitter(failing: request)
        while let part = splitter.next(), !isStopping {
            let time = clock.now()
            switch read(part, unit: device.unit, client: client, words: &words, bits: &bits) {
            case nil:
                splitter.record(.answered)
                enqueue(part, words: words, bits: bits, time: time)
            case let error? where error.kind == .exception(.illegalDataAddress):
                splitter.record(.illegalAddress)
            case let error?:
                // Something else went wrong mid-split: keep the original block and try again next cycle.
                record(error, device: &device, at: time, realMonoNanos: SystemClock.monotonicNanos(), linkClosed: !client.isConnected)
                return [request]
            }
        }
        // Stopped mid-split: nothing is known yet; the next run bisects again.
        guard splitter.isFinished else { return [request] }
        let deviceID = device.plan.device
        guard splitter.badTags.isEmpty else {
            let now = SystemClock.now()
            record(firstError, device: &device, at: clock.plantTime(of: now), realMonoNanos: now.monoNanos, linkClosed: !client.isConnected)
            device.refused.append(contentsOf: splitter.badTags)
            let refusedPaths = splitter.badTags.map { tags[Int($0.tag)].path }.joined(separator: ", ")
            logger.warning("device refuses registers (illegal data address): reading the rest in \(splitter.workingRequests.count) requests",
                           metadata: ["device": "\(deviceID)", "tags": "\(refusedPaths)", "block": "\(request)"])
            let refusedCount = device.refused.count
            let deviceIndex = device.index
            monitor.update { $0.devices[deviceIndex].refusedTags = refusedCount }
            return splitter.workingRequests
        }
        // Every tag answers: the block only spanned registers the meter lacks. Not an error (nothing stays in
        // health or status); one line says what was done and how to plan it so from the start.
        let parts = splitter.workingRequests.sorted { $0.start < $1.start }
        let stored = splits?.remember(request, as: parts, device: deviceID, endpoint: plan.bus.endpoint.description,
                                      unit: device.plan.unit, tagPaths: paths(of: request))
        logger.notice("\(request) spans registers device \(deviceID) does not have (illegal data address); reading it as \(parts.map(\.description).joined(separator: ", ")) from now on\(stored == nil && splits != nil ? ", also after a restart" : ""); to plan it so from the start, set `max_gap: 0` on device \(deviceID)",
                      metadata: ["device": "\(deviceID)"])
        if let stored { logger.warning("the split is not kept for the next start: \(stored)", metadata: ["device": "\(deviceID)"]) }
        return parts
    }

    /// Replaces requests with the parts a previous run of the same config found by bisection.
    func applyRememberedSplits(_ device: inout PollingDevice) {
        guard let splits else { return }
        for groupIndex in device.groups.indices {
            device.groups[groupIndex].requests = device.groups[groupIndex].requests.flatMap { request -> [ReadRequest] in
                guard request.slots.count > 1,
                      let parts = splits.parts(of: request, device: device.plan.device, endpoint: plan.bus.endpoint.description,
                                               unit: device.plan.unit, tagPaths: paths(of: request)) else { return [request] }
                logger.info("\(request) read as \(parts.map(\.description).joined(separator: ", ")), as split on an earlier run (registers the device does not have); set `max_gap: 0` on device \(device.plan.device) to plan it so",
                            metadata: ["device": "\(device.plan.device)"])
                return parts
            }
        }
    }

    func paths(of request: ReadRequest) -> [String] { request.slots.map { tags[Int($0.tag)].path } }
}
