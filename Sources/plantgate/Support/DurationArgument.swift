import ArgumentParser
import PlantModel

/// A duration on the command line, written as in plantgate.yaml: `100ms`, `1s`, `1.5s`, `1m`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        guard let duration = DurationText.parse(argument), duration > .zero else { return nil }
        self.duration = duration
    }

    /// Seconds, for timeouts.
    var seconds: Double { DurationText.seconds(duration) }

    var description: String { DurationText.format(duration) }
    var defaultValueDescription: String { description }
}
