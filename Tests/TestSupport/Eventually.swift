/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
///
/// Use it instead of sleeping: `#expect(await eventually { received.count == 3 })`. The deadline
/// bounds the test; the poll interval only sets how quickly success is noticed.
public func eventually(
    timeout: Duration = .seconds(5),
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
