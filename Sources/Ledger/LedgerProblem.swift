/// The first thing wrong in a sequence of entries: where, and what.
public struct LedgerProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Position in the input, from 1 (the line number of an export without its header).
    public var index: Int
    /// The entry number the entry claims, when it could be read.
    public var number: UInt64?
    public var kind: Kind

    /// What is wrong with the entry.
    public enum Kind: Error, Sendable, Hashable {
        case malformed(String)
        case hashMismatch(written: String, actual: String)
        case badSignature(keyID: String)
        case unknownKey(String)
        case wrongKey(signedWith: String, active: String)
        case numberGap(expected: UInt64, found: UInt64)
        case brokenLink(expectedPrev: String, found: String)
        case siteChanged(expected: String, found: String)
        case recordSeqGap(line: String, period: String, expected: UInt64, found: UInt64)
    }

    /// The problem of the entry at `index` (from 1) claiming `number`.
    public init(index: Int, number: UInt64?, kind: Kind) {
        self.index = index
        self.number = number
        self.kind = kind
    }

    /// One line for a person: where, what, and what it means.
    public var description: String {
        let place = "entry \(index)" + (number.map { " (n=\($0))" } ?? "")
        switch kind {
        case .malformed(let why):
            return "\(place): malformed: \(why)"
        case .hashMismatch(let written, let actual):
            return "\(place): the signed bytes changed: their SHA-256 is \(actual), the entry says \(written)"
        case .badSignature(let key):
            return "\(place): the signature does not verify with key \(key): the bytes were changed or signed by another key"
        case .unknownKey(let key):
            return "\(place): signed with key \(key), which neither the export header nor an earlier entry announces"
        case .wrongKey(let signed, let active):
            return "\(place): signed with key \(signed), but the active key is \(active) and no key-rotated entry announced a change"
        case .numberGap(let expected, let found):
            return found > expected
                ? "\(place): entries \(expected)…\(found - 1) are missing (expected n=\(expected))"
                : "\(place): out of order or repeated: expected n=\(expected), found n=\(found)"
        case .brokenLink(let expected, let found):
            return "\(place): prev is \(found) but the previous entry's hash is \(expected)"
        case .siteChanged(let expected, let found):
            return "\(place): site \(found) in a chain of site \(expected)"
        case .recordSeqGap(let line, let period, let expected, let found):
            return "\(place): line \(line) \(period) record seq \(found), expected \(expected)"
        }
    }
}
