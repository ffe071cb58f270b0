/// An electrowinning tankhouse: the metal plated and how many cells the rectifier drives in series.
///
/// Faraday's law gives the mass the charge could plate: `m = N_cells · Q · M / (z · F)`; the current
/// efficiency is the harvested mass over that.
public struct ElectrowinningSpec: Sendable, Hashable {
    public var metal: ElectrowonMetal
    /// Cells in series on the rectifier: each carries the whole DC current.
    public var cells: Int

    public init(metal: ElectrowonMetal, cells: Int) {
        self.metal = metal
        self.cells = cells
    }

    /// Faraday constant, C/mol (CODATA 2018, exact).
    public static let faraday = 96_485.332_12

    /// Tonnes of metal one ampere-hour through every cell plates at 100 % current efficiency.
    public var tonnesPerAmpereHour: Double {
        Double(cells) * 3600 * metal.molarMass / (Double(metal.electrons) * Self.faraday) / 1e6
    }
}

/// A metal won by electrowinning, with its molar mass (g/mol) and electrons per ion.
public enum ElectrowonMetal: String, Sendable, Hashable, CaseIterable {
    case cu, ni

    public var molarMass: Double {
        switch self {
        case .cu: 63.546
        case .ni: 58.693
        }
    }

    /// Cu²⁺ and Ni²⁺: two electrons per atom.
    public var electrons: Int { 2 }
}
