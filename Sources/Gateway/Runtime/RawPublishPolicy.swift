import PlantModel

/// Decides which raw samples go out: every poll, or on change with a deadband and a heartbeat
/// (`max_silence`). Per-tag state in flat arrays; deciding never allocates.
struct RawPublishPolicy {
    private let options: PublishOptions
    private let maxSilenceNanos: Int64
    private var lastValue: [Double]
    private var lastQuality: [Quality?]
    private var lastMono: [Int64]

    init(options: PublishOptions, tagCount: Int) {
        self.options = options
        self.maxSilenceNanos = options.maxSilence.nanoseconds
        lastValue = [Double](repeating: .nan, count: tagCount)
        lastQuality = [Quality?](repeating: nil, count: tagCount)
        lastMono = [Int64](repeating: 0, count: tagCount)
    }

    mutating func shouldPublish(_ sample: Sample) -> Bool {
        let index = Int(sample.tag)
        guard index >= 0, index < lastValue.count else { return false }
        let publish: Bool
        switch options.raw {
        case .everyPoll:
            publish = true
        case .onChange:
            publish = lastQuality[index] != sample.quality
                || sample.time.monoNanos - lastMono[index] >= maxSilenceNanos
                || exceedsDeadband(old: lastValue[index], new: sample.value)
        }
        if publish {
            lastValue[index] = sample.value
            lastQuality[index] = sample.quality
            lastMono[index] = sample.time.monoNanos
        }
        return publish
    }

    private func exceedsDeadband(old: Double, new: Double) -> Bool {
        if old.isNaN != new.isNaN { return true }
        if old.isNaN { return false }
        switch options.deadband {
        case .absolute(let band):
            return band <= 0 ? old != new : abs(new - old) > band
        case .percent(let percent):
            return abs(new - old) > abs(old) * percent / 100
        }
    }
}
