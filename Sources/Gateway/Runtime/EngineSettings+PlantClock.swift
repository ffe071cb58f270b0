import ESG

extension EngineSettings {
    /// The engine's tunables for a poll interval of `realPollIntervalNanos`, on the plant clock.
    ///
    /// The engine measures every duration in plant time. Under a simulated clock K times faster, one
    /// real poll interval spans K times more plant time, so the gaps, delays and intervals that are
    /// about polling (interpolation and power gaps, the close delay, the live cadence) scale by K too;
    /// otherwise every segment would look like a gap. Unchanged on the real clock.
    static func onPlantClock(_ clock: PlantClock, realPollIntervalNanos: Int64, realLiveIntervalNanos: Int64 = 5_000_000_000) -> EngineSettings {
        var settings = EngineSettings(pollIntervalNanos: realPollIntervalNanos, liveIntervalNanos: realLiveIntervalNanos)
        guard clock.simulation != nil else { return settings }
        settings.pollIntervalNanos = clock.plantNanos(real: settings.pollIntervalNanos)
        settings.maxPowerGapNanos = clock.plantNanos(real: settings.maxPowerGapNanos)
        settings.maxInterpolationGapNanos = clock.plantNanos(real: settings.maxInterpolationGapNanos)
        settings.closeDelayNanos = clock.plantNanos(real: settings.closeDelayNanos)
        settings.liveIntervalNanos = clock.plantNanos(real: settings.liveIntervalNanos)
        return settings
    }
}
