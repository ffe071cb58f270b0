import PlantModel
import Synchronization

/// The last sample of every tag, for the control socket's `values` and `status`.
public final class LatestValues: Sendable {
    private let samples: Mutex<[Sample]>

    public init(tagCount: Int) {
        let none = Sample(tag: -1, value: .nan, quality: .bad, reason: .none, time: Instant(wallNanos: 0, monoNanos: 0))
        samples = Mutex([Sample](repeating: none, count: tagCount))
    }

    /// Stores a batch under one lock.
    public func store(_ batch: UnsafeMutableBufferPointer<Sample>, count: Int) {
        samples.withLock { table in
            for index in 0..<count {
                let sample = batch[index]
                if sample.tag >= 0, Int(sample.tag) < table.count { table[Int(sample.tag)] = sample }
            }
        }
    }

    /// A copy of the table (index = TagIndex; `tag == -1` means never read).
    public var snapshot: [Sample] { samples.withLock { $0 } }
}
