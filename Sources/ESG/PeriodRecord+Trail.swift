import PlantModel

extension PeriodRecord {
    /// The audit fields of one counter (after `start`, `end`, `u` and `counted`): the readings either
    /// side of each edge, and the breaks, so that `counted = end − start − break_offsets`.
    static func writeTrail(_ trail: CounterTrail, into writer: inout JSONWriter) {
        writer.key("start_edge"); edge(trail.startBefore, trail.startAfter, into: &writer)
        writer.key("end_edge"); edge(trail.endBefore, trail.endAfter, into: &writer)
        guard trail.breakCount > 0 else { return }
        writer.key("breaks")
        writer.beginArray()
        write(trail.firstBreak, into: &writer)
        if trail.breakCount > 1 { write(trail.lastBreak, into: &writer) }
        writer.endArray()
        writer.key("break_count"); writer.integer(Int64(trail.breakCount))
        writer.key("break_offsets"); writer.number(trail.breakOffsets)
    }

    /// `{"before":{"v":…,"t":…},"after":…}`, `null` for a side with no reading.
    private static func edge(_ before: CounterReading, _ after: CounterReading, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("before"); write(before, into: &writer)
        writer.key("after"); write(after, into: &writer)
        writer.endObject()
    }

    private static func write(_ reading: CounterReading, into writer: inout JSONWriter) {
        guard reading.isKnown else { writer.number(nil); return }
        writer.beginObject()
        writer.key("v"); writer.number(reading.value)
        writer.key("t"); writer.timestamp(wallNanos: reading.wallNanos)
        writer.endObject()
    }

    private static func write(_ counterBreak: CounterBreak, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("kind"); writer.string(counterBreak.kind.codes.first ?? "")
        writer.key("before"); write(counterBreak.before, into: &writer)
        writer.key("after"); write(counterBreak.after, into: &writer)
        writer.key("counted"); writer.number(counterBreak.counted)
        if counterBreak.modulus > 0 { writer.key("modulus"); writer.number(counterBreak.modulus) }
        writer.key("offset"); writer.number(counterBreak.offset)
        writer.endObject()
    }
}
