extension PeriodRecord {
    /// The audit fields of one counter (after `start`, `end`, `u` and `counted`): the readings either
    /// side of each edge, and the breaks, so that `counted = end − start − break_offsets`.
    static func trailFields(_ trail: CounterTrail) -> String {
        var out = ",\"start_edge\":" + edge(trail.startBefore, trail.startAfter)
        out += ",\"end_edge\":" + edge(trail.endBefore, trail.endAfter)
        guard trail.breakCount > 0 else { return out }
        out += ",\"breaks\":[" + breakJSON(trail.firstBreak)
        if trail.breakCount > 1 { out += "," + breakJSON(trail.lastBreak) }
        out += "],\"break_count\":\(trail.breakCount),\"break_offsets\":" + number(trail.breakOffsets)
        return out
    }

    /// `{"before":{"v":…,"t":…},"after":…}`, `null` for a side with no reading.
    private static func edge(_ before: CounterReading, _ after: CounterReading) -> String {
        "{\"before\":" + reading(before) + ",\"after\":" + reading(after) + "}"
    }

    private static func reading(_ r: CounterReading) -> String {
        guard r.isKnown else { return "null" }
        return "{\"v\":" + number(r.value) + ",\"t\":" + quoted(UTCTimestamp.rfc3339(r.wallNanos)) + "}"
    }

    private static func breakJSON(_ b: CounterBreak) -> String {
        var out = "{\"kind\":" + quoted(b.kind.codes.first ?? "")
        out += ",\"before\":" + reading(b.before) + ",\"after\":" + reading(b.after)
        out += ",\"counted\":" + number(b.counted)
        if b.modulus > 0 { out += ",\"modulus\":" + number(b.modulus) }
        out += ",\"offset\":" + number(b.offset)
        return out + "}"
    }
}
