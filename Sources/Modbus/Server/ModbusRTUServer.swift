import CModbus
import Foundation
import Glibc
import ModbusProtocol
import Synchronization

/// A Modbus RTU server on a serial line (or a socat pseudo-terminal), answering for any unit ids the
/// handler accepts. Replies go out through libmodbus; requests are framed here (see `RTUFramer`).
public final class ModbusRTUServer: Sendable {
    public let serial: SerialSettings
    public let statistics = ModbusServerStatistics()
    private let handler: any ModbusRequestHandler
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    public init(serial: SerialSettings, handler: any ModbusRequestHandler) {
        self.serial = serial
        self.handler = handler
    }

    /// Opens the port and serves on a thread of its own. Fails at once if the port cannot be opened.
    public func start() throws(ModbusError) {
        let context = try ModbusContext(endpoint: .rtu(serial))
        let (result, code) = context.call { modbus_connect($0) }
        guard result == 0 else {
            throw ModbusError(kind: .connectionRefused, endpoint: .rtu(serial), operation: "open",
                              detail: "\(modbusDescription(of: code)): check the device path and that no other program holds it")
        }
        let box = ContextBox(context)
        let thread = Thread { [self] in serve(box.context) }
        thread.name = "modbus-rtu"
        thread.start()
    }

    /// Stops serving and closes the port (within about 50 ms).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    /// Whether the serving thread has ended.
    public var isFinished: Bool { finished.load(ordering: .relaxed) }

    private func serve(_ context: ModbusContext) {
        defer { finished.store(true, ordering: .relaxed) }
        guard let responder = RequestResponder(context: context, handler: handler, statistics: statistics, isTCP: false) else { return }
        let fd = modbus_get_socket(context.handle)
        var framer = RTUFramer()
        var chunk = [UInt8](repeating: 0, count: 256)
        // A frame ends after 3.5 character times of silence; never wait less than 2 ms.
        let gapMillis = Int32(max(2, (serial.characterTime * 3.5 * 1000).rounded(.up)))
        while !stopped.load(ordering: .relaxed) {
            var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollfd, 1, framer.buffer.isEmpty ? 50 : gapMillis)
            if ready < 0 { if errno == EINTR { continue } else { return } }
            if ready == 0 {
                framer.reset()
                statistics.setDiscardedBytes(framer.discardedBytes)
                continue
            }
            if pollfd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, pollfd.revents & Int16(POLLIN) == 0 { return }
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { if count < 0 && (errno == EINTR || errno == EAGAIN) { continue } else { return } }
            chunk.withUnsafeBufferPointer { framer.append(UnsafeBufferPointer(rebasing: $0.prefix(count))) }
            while var frame = framer.nextFrame() {
                let length = frame.count
                frame.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { _ = responder.respond(to: base, length: length) }
                }
            }
            statistics.setDiscardedBytes(framer.discardedBytes)
        }
    }
}

/// Moves a freshly made context into the serving thread, which becomes its only user.
private final class ContextBox: @unchecked Sendable {
    let context: ModbusContext
    init(_ context: ModbusContext) { self.context = context }
}
