import ModbusProtocol
extension BlockSplitter {
    /// `request` cut into the given register ranges (start, count), each carrying the tags that lie wholly
    /// inside it; nil when a range is outside the request or a tag would straddle or miss every range
    /// (the ranges then belong to another plan and must not be applied).
    public static func parts(of request: ReadRequest, ranges: [(start: Int, count: Int)]) -> [ReadRequest]? {
        var parts: [ReadRequest] = []
        var placed = 0
        for range in ranges {
            guard range.count >= 1, range.start >= request.start, range.start + range.count <= request.start + request.count else { return nil }
            let inside = request.slots.filter { slot in
                let first = request.start + slot.offset
                return first >= range.start && first + slot.count <= range.start + range.count
            }
            guard !inside.isEmpty else { return nil }
            placed += inside.count
            let rebased = inside.map { TagSlot(tag: $0.tag, offset: request.start + $0.offset - range.start, count: $0.count) }
            parts.append(ReadRequest(table: request.table, start: range.start, count: range.count, slots: rebased))
        }
        return placed == request.slots.count ? parts : nil
    }
}
