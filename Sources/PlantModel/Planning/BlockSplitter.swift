import ModbusProtocol
/// Isolates the registers a device refuses ("illegal data address", exception 02) by bisection.
///
/// Pure state: the poller asks `next()` for a request to try, reports what the device answered with
/// `record(_:)`, and repeats until `next()` is nil. Requests that answered go to `workingRequests`;
/// a request holding a single tag that still fails marks that tag bad. The rest keep working.
public struct BlockSplitter: Sendable {
    /// What the device answered to the request under test.
    public enum Outcome: Sendable { case answered, illegalAddress }

    public private(set) var workingRequests: [ReadRequest] = []
    public private(set) var badTags: [(tag: TagIndex, reason: SampleReason)] = []
    private var pending: [ReadRequest]
    private var current: ReadRequest?

    public init(failing request: ReadRequest) {
        pending = Self.halves(of: request)
    }

    /// The next request to try, or nil when the split is complete.
    public mutating func next() -> ReadRequest? {
        current = pending.isEmpty ? nil : pending.removeFirst()
        return current
    }

    /// Records the device's answer to the request last returned by `next()`.
    public mutating func record(_ outcome: Outcome) {
        guard let request = current else { return }
        current = nil
        switch outcome {
        case .answered:
            workingRequests.append(request)
        case .illegalAddress:
            if Set(request.slots.map(\.tag)).count <= 1 {
                badTags += request.slots.map { ($0.tag, SampleReason.exception) }
            } else {
                pending.insert(contentsOf: Self.halves(of: request), at: 0)
            }
        }
    }

    /// Whether every part has been tried.
    public var isFinished: Bool { pending.isEmpty && current == nil }

    /// Splits a request's tags into two requests of about half the tags each (a single-tag request
    /// stays whole: it is tried once more on its own).
    static func halves(of request: ReadRequest) -> [ReadRequest] {
        let slots = request.slots.sorted { ($0.offset, $0.tag) < ($1.offset, $1.tag) }
        guard slots.count > 1 else { return [shrunk(request, slots)] }
        let middle = slots.count / 2
        return [shrunk(request, Array(slots[..<middle])), shrunk(request, Array(slots[middle...]))]
    }

    private static func shrunk(_ request: ReadRequest, _ slots: [TagSlot]) -> ReadRequest {
        let first = slots.map(\.offset).min() ?? 0
        let end = slots.map { $0.offset + $0.count }.max() ?? 0
        let rebased = slots.map { TagSlot(tag: $0.tag, offset: $0.offset - first, count: $0.count) }
        return ReadRequest(table: request.table, start: request.start + first, count: end - first, slots: rebased)
    }
}
