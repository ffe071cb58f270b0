import ArgumentParser
import PlantModel

/// A duration on the command line, written as in plantgate.yaml: `100ms`, `1s`, `1.5s`, `1m`.
public struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) { self.duration = duration }

    public init?(argument: String) {
        guard let duration = DurationText.parse(argument), duration > .zero else { return nil }
        self.duration = duration
    }

    /// Seconds, for timeouts.
    public var seconds: Double { DurationText.seconds(duration) }

    public var description: String { DurationText.format(duration) }
    public var defaultValueDescription: String { description }
}
