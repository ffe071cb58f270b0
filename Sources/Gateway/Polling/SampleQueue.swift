import Dispatch
import PlantModel
import Synchronization

/// A bounded many-producer, one-consumer queue of samples between the bus pollers and the engine thread.
///
/// Storage is allocated once; pushing and popping never allocate. A full queue drops the new sample and
/// counts it: polling is never blocked by a slow consumer.
///
/// The slots are left untouched until used, and an emptied ring starts again at slot 0: the engine keeps
/// the queue nearly empty, so only the slots a real stall needed become resident memory, not all of them
/// (a 15,000-tag plant sizes the queue at 60,000 slots, 2.4 MB).
public final class SampleQueue: Sendable {
    private struct Ring {
        let slots: UnsafeMutablePointer<Sample>
        var head = 0
        var count = 0
        var dropped = 0
    }

    private let ring: Mutex<Ring>
    private let wakeup = DispatchSemaphore(value: 0)
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        // `Sample` is trivial: its slots need no initialisation before a push writes them.
        ring = Mutex(Ring(slots: .allocate(capacity: self.capacity)))
    }

    deinit {
        ring.withLock { $0.slots.deallocate() }
    }

    /// Four seconds of the plan's samples, 8,192 to 65,536: the engine may stall that long (a slow
    /// snapshot write) without losing one, and a small plant does not keep megabytes of empty slots.
    public static func capacity(for plan: PlantPlan) -> Int {
        let perSecond = plan.tags.reduce(0.0) { $0 + 1e9 / Double(max(1_000_000, $1.interval.nanoseconds)) }
        return min(65_536, max(8_192, Int(perSecond * 4)))
    }

    /// Adds a sample; returns false (and counts a drop) when the queue is full.
    @discardableResult
    public func push(_ sample: Sample) -> Bool {
        ring.withLock { ring in
            guard ring.count < capacity else {
                ring.dropped += 1
                return false
            }
            (ring.slots + (ring.head + ring.count) % capacity).initialize(to: sample)
            ring.count += 1
            return true
        }
    }

    /// Wakes the consumer; producers call it once per batch (see `HeldSamples`), not per sample.
    public func signal() { wakeup.signal() }

    /// Waits up to `timeoutNanos` for a signal.
    public func wait(timeoutNanos: Int64) {
        _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(timeoutNanos)))
    }

    /// Moves up to `buffer.count` samples into the caller's buffer; returns how many.
    public func drain(into buffer: UnsafeMutableBufferPointer<Sample>) -> Int {
        ring.withLock { ring in
            let taken = min(ring.count, buffer.count)
            for index in 0..<taken {
                buffer[index] = ring.slots[(ring.head + index) % capacity]
            }
            ring.count -= taken
            ring.head = ring.count == 0 ? 0 : (ring.head + taken) % capacity
            return taken
        }
    }

    /// Samples waiting now.
    public var depth: Int { ring.withLock { $0.count } }

    /// Samples dropped because the queue was full, since start.
    public var dropped: Int { ring.withLock { $0.dropped } }
}
