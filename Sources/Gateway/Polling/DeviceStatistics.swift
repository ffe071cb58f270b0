/// Loop statistics of one device, updated in place by its bus poller.
public struct DeviceStatistics: Sendable, Hashable {
    public var id: String
    public var unit: Int
    public var up = false
    public var cycles = 0
    public var requests = 0
    public var goodRequests = 0
    /// Errors since start, by class.
    public var errors = ErrorCounters()
    /// Errors of the last minute, by class: a problem now, not one an hour ago.
    public var recentErrors = RecentErrors()
    /// Request → reply time of good requests.
    public var latency = LatencyHistogram()
    /// Start-time jitter: cycle start against the moment it could start, its deadline or, for a device
    /// due together with others on its bus, the end of the cycle ahead of it. How late the bus thread
    /// runs; what a device waits for the devices ahead of it is in `startDelay`.
    public var jitter = LatencyHistogram()
    /// Cycle start against its deadline, including the wait for devices ahead on the same bus.
    public var startDelay = LatencyHistogram()
    public var overruns = 0
    public var consecutiveFailures = 0
    public var lastGoodPollWallNanos: Int64?
    /// The last failure with its fix (a failed read, or the bus that cannot connect), and when it happened.
    public var lastError: String?
    public var lastErrorWallNanos: Int64?
    /// Tags the device refused (illegal data address after bisection), with the request they were in.
    public var refusedTags = 0

    public init(id: String, unit: Int) {
        self.id = id
        self.unit = unit
    }
}

/// How one cycle started, for `DeviceStatistics.jitter` and `.startDelay`.
struct StartTiming {
    var jitter: Int64
    var delay: Int64

    func record(into device: inout DeviceStatistics) {
        device.jitter.record(nanos: jitter)
        device.startDelay.record(nanos: delay)
    }
}

/// Loop statistics of one bus and its devices.
public struct BusStatistics: Sendable, Hashable {
    public var id: String
    public var endpoint: String
    public var connected = false
    public var reconnects = 0
    public var connectFailures = 0
    /// Why the link last failed to open (refused, unreachable, cannot resolve, permission denied…), and when.
    public var lastError: String?
    public var lastErrorWallNanos: Int64?
    /// The bus thread's `SCHED_FIFO` priority, 0 for normal scheduling.
    public var realtimePriority = 0
    /// Time spent waiting on the bus, and the wall span it was measured over, for utilisation.
    public var busyNanos: Int64 = 0
    public var measuredSinceMonoNanos: Int64 = 0
    public var lastUtilisation = 0.0
    public var devices: [DeviceStatistics]

    public init(id: String, endpoint: String, devices: [DeviceStatistics]) {
        self.id = id
        self.endpoint = endpoint
        self.devices = devices
    }

    /// Folds busy time into the utilisation figure once a minute.
    public mutating func accountBusy(nanos: Int64, nowMono: Int64) {
        if measuredSinceMonoNanos == 0 { measuredSinceMonoNanos = nowMono }
        busyNanos += nanos
        let span = nowMono - measuredSinceMonoNanos
        if span >= 60_000_000_000 {
            lastUtilisation = Double(busyNanos) / Double(span)
            busyNanos = 0
            measuredSinceMonoNanos = nowMono
        }
    }

    /// Utilisation over the current or last minute, 0…1.
    public func utilisation(nowMono: Int64) -> Double {
        let span = nowMono - measuredSinceMonoNanos
        guard measuredSinceMonoNanos > 0, span > 1_000_000_000 else { return lastUtilisation }
        return min(1, Double(busyNanos) / Double(span))
    }
}
