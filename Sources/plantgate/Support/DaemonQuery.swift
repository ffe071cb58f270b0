import Foundation
import Gateway

/// Asks the daemon one question off the cooperative pool and turns every failure into a `CLIFailure`.
enum DaemonQuery {
    static func ask<Answer: Decodable & Sendable>(_ request: ControlRequest, socket: String,
                                                  expecting: Answer.Type) async -> Result<(Answer, Data), ControlClientError> {
        let client = ControlClient(socketPath: socket)
        return await BlockingWork.run("control") {
            do throws(ControlClientError) {
                return .success(try client.ask(request, expecting: Answer.self))
            } catch {
                return .failure(error)
            }
        }
    }
}
