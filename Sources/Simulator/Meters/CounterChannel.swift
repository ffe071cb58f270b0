/// One counter of a meter: the true quantity integrated by the simulator, and how the meter shows it.
public struct CounterChannel: Sendable, Hashable {
    /// The profile tag that shows this counter (`energy_import`, `volume_corrected`...).
    public var tag: String
    /// The key of the true quantity in the truth file (`import_wh`, `gas_nm3`...).
    public var truthKey: String
    /// Tag unit per truth unit (Eastron shows Wh as kWh: 0.001).
    public var displayFactor: Double
    /// Where the register wraps to 0, in the tag's unit (uint32 raw × scale; E+H totaliser SUM: 1e7).
    public var wrap: Double?

    public init(tag: String, truthKey: String, displayFactor: Double = 1, wrap: Double? = nil) {
        self.tag = tag
        self.truthKey = truthKey
        self.displayFactor = displayFactor
        self.wrap = wrap
    }
}
