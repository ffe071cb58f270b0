import ControlProtocol
import Foundation
import PlantgateConsole
import POSIX

/// Asks the daemon one question off the cooperative pool and turns every failure into a `CLIFailure`.
enum DaemonQuery {
    static func ask<Answer: Decodable & Sendable>(_ request: ControlRequest, socket: SocketLocation,
                                                  expecting: Answer.Type) async -> Result<(Answer, Data), ControlClientError> {
        let client = ControlClient(socketPath: socket.path)
        return await BlockingWork.run("control") {
            do throws(ControlClientError) {
                return .success(try client.ask(request, expecting: Answer.self))
            } catch {
                var error = error
                error.hint = socket.hint
                return .failure(error)
            }
        }
    }

    /// `ask`, or the failure printed and its exit code thrown.
    static func answer<Answer: Decodable & Sendable>(_ request: ControlRequest, socket: SocketLocation,
                                                     expecting: Answer.Type) async throws -> (Answer, Data) {
        switch await ask(request, socket: socket, expecting: Answer.self) {
        case .success(let answer): return answer
        case .failure(let error): throw Console.fail(CLIFailure(error.description, status: error.status))
        }
    }
}
