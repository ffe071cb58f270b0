/// How often ground truth is written when the caller does not say: every simulated second at real
/// speed, and at higher speeds a round interval that keeps the file to a few lines per real second (a
/// line costs tens of microseconds to make and ~2.5 kB on disk; thousands per second buy no accuracy).
public enum TruthCadence {
    /// Lines per real second the default interval stays under.
    public static let linesPerRealSecond = 20.0
    static let roundIntervals: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]

    /// The default interval in simulated seconds at `speed`: 1 s up to 10×, 2 min at 1440×.
    public static func defaultInterval(speed: Double) -> Double {
        let wanted = speed / linesPerRealSecond
        return roundIntervals.first { $0 >= wanted } ?? 3600
    }
}
