import Foundation

/// The shared throughput of a process line: a daily swing, a batch cycle and slow noise, around 1.
///
/// Every meter of a line follows this factor (more or less strongly), so electricity, gas, water and
/// product rise and fall together as they do in a real plant.
public struct ProcessCurve: Sendable, Hashable {
    /// Unix time of simulated second 0.
    public var startEpoch: Double
    /// Hours the plant's local clock is ahead of UTC (the daily swing peaks mid-afternoon local time).
    public var utcOffsetHours: Double
    public var dailyAmplitude: Double
    public var cycleAmplitude: Double
    public var cyclePeriod: Double
    public var noiseAmplitude: Double
    public var noise: NoiseField

    public init(startEpoch: Double, utcOffsetHours: Double, seed: UInt64, dailyAmplitude: Double = 0.04,
                cycleAmplitude: Double = 0.02, cyclePeriod: Double = 7200, noiseAmplitude: Double = 0.015) {
        self.startEpoch = startEpoch
        self.utcOffsetHours = utcOffsetHours
        self.dailyAmplitude = dailyAmplitude
        self.cycleAmplitude = cycleAmplitude
        self.cyclePeriod = cyclePeriod
        self.noiseAmplitude = noiseAmplitude
        self.noise = NoiseField(seed: seed)
    }

    /// The line's throughput factor at `t` simulated seconds (≈ 0.93…1.07).
    public func factor(at t: Double) -> Double {
        let localHours = (startEpoch + t) / 3600 + utcOffsetHours
        let daily = cos(2 * Double.pi * (localHours - 14) / 24)
        let cycle = sin(2 * Double.pi * t / cyclePeriod)
        return 1 + dailyAmplitude * daily + cycleAmplitude * cycle + noiseAmplitude * noise.value(stream: 0, at: t)
    }

    /// A meter's own wobble: 1 ± `amplitude`.
    public func wobble(stream: UInt64, amplitude: Double, at t: Double) -> Double {
        1 + amplitude * noise.value(stream: stream, at: t)
    }
}
