import Ledger

/// Everything a report is made from: the line, the range, the verification of the chain and its entries.
public struct ReportInput: Sendable {
    /// The site id.
    public var site: String
    public var line: ReportLine
    /// The range asked for (RFC 3339 UTC); nil: open.
    public var from: String?
    public var to: String?
    public var verification: ReportVerification
    /// The ledger's entries in chain order (all of them: the report picks the line and the range).
    public var entries: [LedgerEntry]
    /// When the report was made (RFC 3339 UTC).
    public var generated: String

    public init(site: String, line: ReportLine, from: String?, to: String?, verification: ReportVerification,
                entries: [LedgerEntry], generated: String) {
        self.site = site
        self.line = line
        self.from = from
        self.to = to
        self.verification = verification
        self.entries = entries
        self.generated = generated
    }
}

/// The line a report is about, as configured.
public struct ReportLine: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The product basis, e.g. `LiOH·H2O`.
    public var product: String
    /// Below this many tonnes a period has no intensities (the line's `product.min_t`).
    public var minimumTonnes: Double

    public init(id: String, name: String, product: String, minimumTonnes: Double) {
        self.id = id
        self.name = name
        self.product = product
        self.minimumTonnes = minimumTonnes
    }
}

/// The result of verifying the whole chain before the report is made.
public struct ReportVerification: Sendable, Hashable {
    /// True when every entry verified.
    public var verified: Bool
    /// One line: what verified, or the first broken entry and what is wrong.
    public var summary: String
    /// The key ids that signed, in order of use.
    public var keyIDs: [String]

    public init(verified: Bool, summary: String, keyIDs: [String]) {
        self.verified = verified
        self.summary = summary
        self.keyIDs = keyIDs
    }

    /// The verification of `result` over `source`, in the words of `plantgate ledger verify`.
    public init(_ result: LedgerVerifier.Result, source: String) {
        verified = result.problem == nil
        keyIDs = result.keyIDs
        if let problem = result.problem {
            summary = "BROKEN \(source): \(problem); \(result.verified) entries before it verified"
        } else {
            let range = result.firstNumber.map { "n=\($0)…\(result.lastNumber ?? $0)" } ?? "no entries"
            summary = "OK \(source): \(result.verified) entries (\(range)), \(result.periodRecords) period records, \(result.events) events"
        }
    }
}
