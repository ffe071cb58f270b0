import Yams

extension ConfigParser {
    /// `strapping: [[level_m, volume_m3], …]` of a `storage_level` input; errors name the pair's line.
    func parseStrapping(_ node: Node, _ path: String) -> StrappingTable? {
        guard let items = reader.sequence(node, path) else { return nil }
        var points: [(level: Double, volume: Double)] = []
        var nodes: [Node] = []
        for (item, itemPath) in items {
            guard let pair = reader.sequence(item, itemPath) else { return nil }
            guard pair.count == 2 else {
                reader.error(item, itemPath, "expected a [level_m, volume_m3] pair such as [1.5, 2400], found \(pair.count) numbers")
                return nil
            }
            guard let level = reader.double(pair[0].0, pair[0].1), let volume = reader.double(pair[1].0, pair[1].1) else { return nil }
            points.append((level, volume))
            nodes.append(item)
        }
        switch StrappingTable.make(points) {
        case .success(let table):
            return table
        case .failure(let problem):
            let at = problem.index.map { nodes[$0] } ?? node
            let atPath = problem.index.map { "\(path)[\($0)]" } ?? path
            reader.error(at, atPath, problem.message)
            return nil
        }
    }
}
