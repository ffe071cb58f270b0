/// One fault on one meter, in simulated seconds since the start.
public struct ScheduledFault: Sendable, Hashable {
    public var meter: String
    public var kind: FaultKind
    public var start: Double
    /// Nil: until the simulator stops (ignored for instant faults).
    public var duration: Double?
    /// Where it was declared (`faults.yaml:7`, `--fault pm-aux:timeout@10s`), for messages.
    public var origin: String

    public init(meter: String, kind: FaultKind, start: Double, duration: Double? = nil, origin: String = "api") {
        self.meter = meter
        self.kind = kind
        self.start = start
        self.duration = duration
        self.origin = origin
    }

    /// When the window closes (infinity when open-ended).
    public var end: Double { start + (duration ?? .infinity) }

    /// Whether the fault's window covers `t`.
    public func isActive(at t: Double) -> Bool { !kind.isInstant && start <= t && t < end }
}

/// A counter's value at the start of the run (e.g. a gas counter just below its 2^32 rollover).
public struct InitialCounter: Sendable, Hashable {
    public var meter: String
    /// The counter's tag (`volume_corrected`) or truth key (`gas_nm3`).
    public var counter: String
    /// In the tag's unit.
    public var value: Double
    public var origin: String

    public init(meter: String, counter: String, value: Double, origin: String = "api") {
        self.meter = meter
        self.counter = counter
        self.value = value
        self.origin = origin
    }
}

/// Every fault and initial counter of a run.
public struct FaultSchedule: Sendable, Hashable {
    public var faults: [ScheduledFault]
    public var initial: [InitialCounter]

    public init(faults: [ScheduledFault] = [], initial: [InitialCounter] = []) {
        self.faults = faults
        self.initial = initial
    }

    /// The schedule with `other`'s entries added.
    public func merged(with other: FaultSchedule) -> FaultSchedule {
        FaultSchedule(faults: faults + other.faults, initial: initial + other.initial)
    }
}
