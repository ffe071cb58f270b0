/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
///
/// Use it instead of sleeping: `#expect(await eventually { received.count == 3 })`. The deadline
/// bounds the test; the poll interval only sets how quickly success is noticed. The default deadline is
/// generous (10 s) because it only ever ends a failing wait: while the whole suite starts at once on 2
/// cores, a task polling here can wait seconds for a cooperative thread. Waits that time something give
/// their own bound, and time it from a thread of their own where it matters.
public func eventually(
    timeout: Duration = .seconds(10),
    pollInterval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return true }
        if clock.now >= deadline { return false }
        do {
            try await Task.sleep(for: pollInterval)
        } catch {
            return try await condition()
        }
    }
}
