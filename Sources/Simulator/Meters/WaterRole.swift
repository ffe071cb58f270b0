/// Where a flow meter sits in the line's water balance: intake + recycle = process use, discharge ≤ intake.
public enum WaterRole: String, Sendable, Hashable, CaseIterable {
    case intake, recycle, discharge
}
