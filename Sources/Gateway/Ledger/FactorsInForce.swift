import ESG
import Ledger
import PlantModel

/// The factors each line's figures use, by role (`grid`, `market_residual`, `fuel:natural_gas`, `lce`, …),
/// and what changed between two such sets: the `factor-change` events of a reload or of a start with a
/// changed configuration.
public struct FactorsInForce: Sendable, Hashable {
    /// Line id → role → factor.
    public var lines: [String: [String: LedgerFactor]]

    public init(lines: [String: [String: LedgerFactor]] = [:]) {
        self.lines = lines
    }

    /// The factors of `plan`'s lines, exactly as their period records carry them.
    public init(plan: PlantPlan) {
        var lines: [String: [String: LedgerFactor]] = [:]
        for line in plan.lines {
            var roles: [String: LedgerFactor] = [:]
            for use in MetricEngine.factorUses(site: plan.site, line: line) {
                roles[use.role] = LedgerFactor(use)
            }
            lines[line.id] = roles
        }
        self.lines = lines
    }

    /// One event per factor that differs, for lines in both sets (a line that comes or goes is in the
    /// config change; its records carry its factors). Sorted by line and role, so the order is stable.
    public func changes(to new: FactorsInForce) -> [LedgerEvent] {
        var events: [LedgerEvent] = []
        for line in new.lines.keys.sorted() {
            guard let before = lines[line], let after = new.lines[line] else { continue }
            for role in Set(before.keys).union(after.keys).sorted() where before[role] != after[role] {
                events.append(.factorChanged(line: line, role: role, old: before[role], new: after[role]))
            }
        }
        return events
    }
}

extension LedgerFactor {
    /// `use` as the ledger states it (Ledger knows nothing of ESG, so it keeps a copy of the five fields).
    init(_ use: PeriodRecord.FactorUse) {
        self.init(id: use.id, value: use.value, unit: use.unit, source: use.source, vintage: use.vintage)
    }
}
