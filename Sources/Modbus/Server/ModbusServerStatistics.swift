import Synchronization

/// Counts every request a server received, by function code, so tests can prove the gateway never writes.
public final class ModbusServerStatistics: Sendable {
    private let counts = Mutex<[UInt8: Int]>([:])
    private let discarded = Atomic<Int>(0)

    public init() {}

    func record(functionCode: UInt8) {
        counts.withLock { $0[functionCode, default: 0] += 1 }
    }

    func setDiscardedBytes(_ count: Int) { discarded.store(count, ordering: .relaxed) }

    /// Bytes an RTU server threw away as no frame (bad CRC, a partial frame cut by silence): on a
    /// quiet line, 0. Always 0 over TCP.
    public var discardedBytes: Int { discarded.load(ordering: .relaxed) }

    /// Requests received so far, by function code.
    public var requestsByFunctionCode: [UInt8: Int] { counts.withLock { $0 } }

    /// All requests received so far.
    public var totalRequests: Int { counts.withLock { $0.values.reduce(0, +) } }

    /// Requests with any function code other than the reads 1–4.
    public var nonReadRequests: Int {
        counts.withLock { $0.filter { !(1...4).contains($0.key) }.values.reduce(0, +) }
    }
}
