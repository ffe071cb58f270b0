import PlantModel

/// One device as its bus poller drives it: schedule, the requests actually in use (after any
/// bisection around refused registers), and the tags found refused.
struct PollingDevice {
    struct Group {
        /// Due every `every` ticks of the device's fastest interval.
        var every: Int
        var requests: [ReadRequest]
    }

    let plan: DeviceReadPlan
    let index: Int
    let unit: UInt8
    var schedule: DeviceSchedule
    var groups: [Group]
    /// Tags the device answers "illegal data address" for; reported bad every cycle they are due.
    var refused: [(tag: TagIndex, reason: SampleReason)] = []
    /// Up or down, soft errors, and when its recovery is worth a log line.
    var availability: DeviceAvailability

    init(plan: DeviceReadPlan, index: Int, firstDeadline: Int64, softErrors: Int) {
        self.plan = plan
        self.index = index
        self.unit = UInt8(clamping: plan.unit)
        let fastest = plan.groups.first.map { $0.interval.nanoseconds } ?? 1_000_000_000
        schedule = DeviceSchedule(intervalNanos: fastest, firstDeadline: firstDeadline)
        availability = DeviceAvailability(softErrors: softErrors, intervalNanos: fastest)
        groups = plan.groups.map { group in
            Group(every: max(1, Int((Double(group.interval.nanoseconds) / Double(max(1, fastest))).rounded())), requests: group.requests)
        }
    }

    func isDue(_ group: Group) -> Bool { schedule.tick % group.every == 0 }
}
