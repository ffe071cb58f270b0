/// Why a benchmark could not run (a server or broker that did not start, a config that did not compile).
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
