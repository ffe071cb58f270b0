/// Snapshot coding of the trail: JSON has no NaN, so an unknown reading or edge is left out.
extension CounterTrail: Codable {
    enum CodingKeys: String, CodingKey {
        case start, startBefore, startAfter, end, endBefore, endAfter, firstBreak, lastBreak, breakCount, breakOffsets
    }

    /// Whether nothing was recorded (such a trail is not stored).
    var isEmpty: Bool { start.isNaN && end.isNaN && breakCount == 0 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        start = try c.decodeIfPresent(Double.self, forKey: .start) ?? .nan
        startBefore = try c.decodeIfPresent(CounterReading.self, forKey: .startBefore) ?? CounterReading()
        startAfter = try c.decodeIfPresent(CounterReading.self, forKey: .startAfter) ?? CounterReading()
        end = try c.decodeIfPresent(Double.self, forKey: .end) ?? .nan
        endBefore = try c.decodeIfPresent(CounterReading.self, forKey: .endBefore) ?? CounterReading()
        endAfter = try c.decodeIfPresent(CounterReading.self, forKey: .endAfter) ?? CounterReading()
        breakCount = try c.decodeIfPresent(Int32.self, forKey: .breakCount) ?? 0
        if breakCount > 0 {
            firstBreak = try c.decode(CounterBreak.self, forKey: .firstBreak)
            lastBreak = try c.decode(CounterBreak.self, forKey: .lastBreak)
            breakOffsets = try c.decode(Double.self, forKey: .breakOffsets)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !start.isNaN { try c.encode(start, forKey: .start) }
        if startBefore.isKnown { try c.encode(startBefore, forKey: .startBefore) }
        if startAfter.isKnown { try c.encode(startAfter, forKey: .startAfter) }
        if !end.isNaN { try c.encode(end, forKey: .end) }
        if endBefore.isKnown { try c.encode(endBefore, forKey: .endBefore) }
        if endAfter.isKnown { try c.encode(endAfter, forKey: .endAfter) }
        if breakCount > 0 {
            try c.encode(breakCount, forKey: .breakCount)
            try c.encode(firstBreak, forKey: .firstBreak)
            try c.encode(lastBreak, forKey: .lastBreak)
            try c.encode(breakOffsets, forKey: .breakOffsets)
        }
    }
}

/// `[value, wallNanos]`; only known readings are stored.
extension CounterReading: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(try c.decode(Double.self), at: try c.decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(value)
        try c.encode(wallNanos)
    }
}

extension CounterBreak: Codable {
    enum CodingKeys: String, CodingKey { case kind, before, after, counted, modulus }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        kind = try c.decode(ReasonSet.self, forKey: .kind)
        before = try c.decode(CounterReading.self, forKey: .before)
        after = try c.decode(CounterReading.self, forKey: .after)
        counted = try c.decode(Double.self, forKey: .counted)
        modulus = try c.decodeIfPresent(Double.self, forKey: .modulus) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encode(counted, forKey: .counted)
        if modulus != 0 { try c.encode(modulus, forKey: .modulus) }
    }
}
