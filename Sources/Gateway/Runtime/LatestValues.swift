import PlantModel
import Synchronization

/// The last sample of every tag, and when each last read good, for the control socket's `values` and `status`.
public final class LatestValues: Sendable {
    private struct Table {
        var samples: [Sample]
        /// Monotonic time of each tag's last good sample; `Int64.min` when it never read good.
        var lastGoodMono: [Int64]
    }

    private let table: Mutex<Table>

    public init(tagCount: Int) {
        let none = Sample(tag: -1, value: .nan, quality: .bad, reason: .none, time: Instant(wallNanos: 0, monoNanos: 0))
        table = Mutex(Table(samples: [Sample](repeating: none, count: tagCount), lastGoodMono: [Int64](repeating: .min, count: tagCount)))
    }

    /// Stores a batch under one lock (no allocation: both arrays are sized once).
    public func store(_ batch: UnsafeMutableBufferPointer<Sample>, count: Int) {
        table.withLock { table in
            for index in 0..<count {
                let sample = batch[index]
                guard sample.tag >= 0, Int(sample.tag) < table.samples.count else { continue }
                table.samples[Int(sample.tag)] = sample
                if sample.quality == .good { table.lastGoodMono[Int(sample.tag)] = sample.time.monoNanos }
            }
        }
    }

    /// A copy of the table (index = TagIndex; `tag == -1` means never read).
    public var snapshot: [Sample] { table.withLock { $0.samples } }

    /// A copy of the last-good times (index = TagIndex; `Int64.min` means never good).
    public var lastGoodSnapshot: [Int64] { table.withLock { $0.lastGoodMono } }
}
