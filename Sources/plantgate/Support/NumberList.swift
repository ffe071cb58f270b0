/// Lists of numbers on the command line: `1-247`, `2,5,7`, `1-10,20`, `9600,19200`.
enum NumberList {
    /// Parses a comma-separated list of numbers and ranges, keeping first-seen order and dropping
    /// repeats; nil when a piece is not a number or range within `bounds`.
    static func parse(_ text: String, within bounds: ClosedRange<Int>) -> [Int]? {
        var result: [Int] = []
        var seen = Set<Int>()
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = piece.filter { $0 != " " && $0 != "\t" }
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 1 || ends.count == 2, let low = Int(ends[0]), let high = Int(ends[ends.count - 1]),
                  low <= high, bounds.contains(low), bounds.contains(high) else { return nil }
            for value in low...high where seen.insert(value).inserted { result.append(value) }
        }
        return result.isEmpty ? nil : result
    }
}
