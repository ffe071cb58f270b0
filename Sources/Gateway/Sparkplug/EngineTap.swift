import ESG
import PlantModel

/// A second listener on the engine thread, beside the `OutboundChannel`: it sees typed samples and
/// live metrics (not JSON), and the end of each engine pass so it can publish one batch per pass.
///
/// Every method is called on the engine thread and must not block on disk or network.
public protocol EngineTap: Sendable {
    /// The samples drained from the queue in this pass (the buffer is only valid during the call).
    func samples(_ samples: UnsafeBufferPointer<Sample>)
    /// One live line metric, as the engine hands it out.
    func metric(_ update: MetricUpdate)
    /// The engine finished a pass (at most every 250 ms, on samples or due work): flush what was
    /// gathered, look at device health.
    func passEnded(now: Instant, pollers: [BusPoller], queue: SampleQueue)
    /// When the tap has work of its own that no sample brings (real monotonic ns): the engine passes then.
    var nextDueMonoNanos: Int64 { get }
}
