/// Smooth, seeded noise as a pure function of simulated time.
///
/// Noise is value noise: a random level at every lattice point (drawn from `SeededGenerator` seeded by
/// seed, stream and lattice index), joined by a cubic smoothstep. Being a function of time rather than
/// of the order of requests, a run with the same seed gives the same curves however it is polled; and
/// being a cubic inside each lattice cell, Simpson's rule integrates it exactly.
public struct NoiseField: Sendable, Hashable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Noise in −1…1 for `stream` at `t` seconds: a slow octave (15 min cells) plus a fast one (1 min cells).
    public func value(stream: UInt64, at t: Double) -> Double {
        0.65 * octave(stream: stream, at: t, cell: 900) + 0.35 * octave(stream: stream &+ 0x5151, at: t, cell: 60)
    }

    func octave(stream: UInt64, at t: Double, cell: Double) -> Double {
        let x = t / cell
        let k = x.rounded(.down)
        let u = x - k
        let index = Int64(k)
        let a = lattice(stream: stream, index: index)
        let b = lattice(stream: stream, index: index &+ 1)
        let s = u * u * (3 - 2 * u)
        return a + (b - a) * s
    }

    func lattice(stream: UInt64, index: Int64) -> Double {
        var generator = SeededGenerator(seed: seed ^ (stream &* 0xD6E8_FEB8_6659_FD93) ^ (UInt64(bitPattern: index) &* 0xA076_1D64_78BD_642F))
        return Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1
    }
}
