import Foundation
import Modbus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the benchmark's Modbus servers answer: fixed values (register = 1000 + address) or, with
/// `changing`, every register of a request reads how many times that request was served, so each
/// poll carries a new value.
final class BenchmarkMeterHandler: ModbusRequestHandler, Sendable {
    let changing: Bool
    private let served = Mutex<[Int: UInt16]>([:])

    init(changing: Bool) { self.changing = changing }

    func reply(to request: ModbusRequest) -> ModbusReply {
        let count = Int(request.count), start = Int(request.address)
        guard changing else { return .registers((0..<count).map { UInt16(truncatingIfNeeded: 1000 + start + $0) }) }
        let key = Int(request.unit) << 16 | start
        let sequence = served.withLock { served -> UInt16 in
            let next = served[key, default: 0] &+ 1
            served[key] = next
            return next
        }
        return .registers([UInt16](repeating: sequence, count: count))
    }
}

/// The Modbus servers run in a child process (`PlantgateBenchmarks --serve N [--changing]`), so their
/// CPU time, memory and allocations never count as the gateway's.
final class RegisterServerProcess {
    let ports: [Int]
    private let process: Process
    private let input: Pipe

    init(count: Int, changing: Bool) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        process.arguments = ["--serve", "\(count)"] + (changing ? ["--changing"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        process.environment = environment
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("ports ") else { throw BenchmarkFailure("register servers did not start: \(text)") }
        ports = text.dropFirst(6).split(separator: ",").compactMap { Int($0) }
        guard ports.count == count else { throw BenchmarkFailure("register servers reported \(text)") }
    }

    /// Closes the child's stdin; it exits on end of file.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The child's side: serves until stdin closes.
    static func serve(count: Int, changing: Bool) -> Never {
        var servers: [ModbusTCPServer] = []
        do {
            for _ in 0..<count {
                let server = try ModbusTCPServer(port: 0, handler: BenchmarkMeterHandler(changing: changing))
                server.start()
                servers.append(server)
            }
        } catch {
            print("error \(error)")
            exit(1)
        }
        print("ports " + servers.map { String($0.port) }.joined(separator: ","))
        fflush(nil)
        while let _ = readLine() {}
        for server in servers { server.stop() }
        exit(0)
    }
}
