import ModbusProtocol
/// Coalesces tags into as few read requests as the protocol allows.
///
/// Per table, spans are sorted by address and packed left to right: a span joins the open request
/// when the hole before it is at most `maxGap` and the request stays within the table's limit (125
/// registers, 2000 bits); otherwise it opens a new one. A span is never split, so a 64-bit value at a
/// 125-register border moves whole into the next request. Packing greedily this way gives the fewest
/// requests for a given gap limit: each request ends as far right as any packing could make it.
public enum ReadPlanner {
    /// The requests covering `spans`, ordered by function code then address.
    public static func plan(_ spans: [TagSpan], maxGap: Int) -> [ReadRequest] {
        let sorted = spans.sorted { ($0.address, $0.count, $0.tag) < ($1.address, $1.count, $1.tag) }
        var requests: [ReadRequest] = []
        var open: (table: RegisterTable, start: Int, end: Int, members: [TagSpan])?
        func close() {
            guard let current = open else { return }
            let slots = current.members.map { TagSlot(tag: $0.tag, offset: $0.address.address - current.start, count: $0.count) }
            requests.append(ReadRequest(table: current.table, start: current.start, count: current.end - current.start, slots: slots))
            open = nil
        }
        for span in sorted {
            let start = span.address.address, end = start + span.count
            if let current = open, current.table == span.address.table, start - current.end <= maxGap,
               max(end, current.end) - current.start <= span.address.table.maxPerRequest {
                open?.end = max(end, current.end)
                open?.members.append(span)
            } else {
                close()
                open = (span.address.table, start, end, [span])
            }
        }
        close()
        return requests
    }
}
