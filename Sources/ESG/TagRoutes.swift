import PlantModel

/// Flat TagIndex → inputs routing (compressed rows), so `ingest` neither hashes nor allocates.
struct TagRoutes: Sendable {
    /// Row start per tag; row of tag t is `starts[t]..<starts[t+1]`.
    private var starts: ContiguousArray<Int32>
    /// Global input index, or `-(g + 1)` when the tag is that input's reset marker.
    private(set) var targets: ContiguousArray<Int32>

    init(pairs: [(tag: TagIndex, target: Int32)]) {
        let maxTag = Int(pairs.map(\.tag).max() ?? -1)
        var counts = [Int32](repeating: 0, count: maxTag + 2)
        for p in pairs where p.tag >= 0 { counts[Int(p.tag) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        starts = ContiguousArray(counts)
        var fill = counts
        var targets = ContiguousArray<Int32>(repeating: 0, count: Int(counts.last ?? 0))
        for p in pairs where p.tag >= 0 {
            targets[Int(fill[Int(p.tag)])] = p.target
            fill[Int(p.tag)] += 1
        }
        self.targets = targets
    }

    /// The rows of `tag`; empty for a tag no line uses.
    @inline(__always)
    func row(_ tag: TagIndex) -> Range<Int> {
        let t = Int(tag)
        guard t >= 0, t + 1 < starts.count else { return 0..<0 }
        return Int(starts[t])..<Int(starts[t + 1])
    }
}
