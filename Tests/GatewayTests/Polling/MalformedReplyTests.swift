import Foundation
import Gateway
import Modbus
import ModbusProtocol
import PlantModel
import Testing
import TestSupport

/// One scenario C fault: what the meter sends instead of a good reply, and the error class it must count as.
struct ReplyFaultCase: Sendable, CustomTestStringConvertible {
    let fault: OracleMeter.Fault
    let errorClass: String
    /// Replies that carry the fault.
    var count = 3
    /// Why the error counter cannot move yet (a limitation below the poller), if it cannot.
    var knownIssue: String?
    var testDescription: String { fault.name }

    static func garbled(_ kind: ReplyFault, _ errorClass: String) -> ReplyFaultCase {
        ReplyFaultCase(fault: .init(name: kind.rawValue) { .garbled(kind, $0) }, errorClass: errorClass)
    }

    static func exception(_ code: ModbusException) -> ReplyFaultCase {
        let name = "exception_\(code.rawValue < 10 ? "0" : "")\(code.rawValue)"
        return ReplyFaultCase(fault: .init(name: name) { _ in .exception(code) }, errorClass: name)
    }

    static let tcp: [ReplyFaultCase] = [
        .garbled(.wrongTransactionID, "garbled"),
        ReplyFaultCase(fault: .init(name: "wrong_unit") { .garbled(.wrongUnit, $0) }, errorClass: "garbled",
                       knownIssue: "libmodbus 3.1.6 (Debian 12) accepts a TCP reply whose unit id differs from the request's"),
        .garbled(.wrongFunction, "garbled"),
        // libmodbus sizes the frame from the byte count, so it waits for bytes that never come.
        .garbled(.byteCountTooLarge, "timeout"),
        .garbled(.byteCountTooSmall, "garbled"),
        .garbled(.truncated, "timeout"),
        .garbled(.closeMidReply, "connection_lost"),
        .garbled(.trailingJunk, "garbled"),
        ReplyFaultCase(fault: .init(name: "silence") { _ in .silence }, errorClass: "timeout"),
        // Answers 0.3 s after a 0.2 s timeout: the late frame must never be taken for the next request's.
        ReplyFaultCase(fault: .init(name: "late_reply", busySeconds: 0.3) { .delayed(0.3, $0) }, errorClass: "timeout"),
        // Slow loris: 0.15 s between bytes against a 0.1 s byte timeout (13 bytes).
        ReplyFaultCase(fault: .init(name: "slow_loris", busySeconds: 13 * 0.15) { .trickled(0.15, $0) }, errorClass: "timeout", count: 1),
        .exception(.illegalFunction), .exception(.illegalDataAddress), .exception(.illegalDataValue),
        .exception(.serverDeviceFailure), .exception(.serverDeviceBusy), .exception(.gatewayTargetFailedToRespond),
    ]
}

/// Through the poller: whatever a sick meter sends, no wrong value is ever enqueued as good.
@Suite("Malformed replies through the poller", .serialized)
struct MalformedReplyTests {
    /// Two uint32 tags in two requests far apart: a reply matched to the wrong request shows as a wrong value.
    static let tags = [#"low: {register: "holding:10", type: uint32}"#, #"high: {register: "holding:500", type: uint32}"#]
    static let bus = "response_timeout: 200ms, byte_timeout: 100ms, retries: 1, soft_errors: 10"

    static func oracle(_ address: Int) -> Double {
        Double(UInt32(OracleMeter.value(at: address)) << 16 | UInt32(OracleMeter.value(at: address + 1)))
    }

    @Test(arguments: ReplyFaultCase.tcp)
    func tcpFault(_ faultCase: ReplyFaultCase) async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "100ms", tags: Self.tags, bus: Self.bus))
        rig.start()
        defer { rig.stop() }
        try await Self.check(faultCase, meter: meter, rig: rig, interval: 0.1, responseTimeout: 0.2)
    }

    @Test func rtuBadCRCAndWrongSlave() async throws {
        let pair = try SocatPair()
        let meter = OracleMeter()
        let server = ModbusRTUServer(serial: SerialSettings(device: pair.second, baud: 19200, parity: .none), handler: meter)
        try server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: PollingConfigs.serialMeter(device: pair.first, interval: "100ms", tags: Self.tags, bus: Self.bus))
        rig.start()
        defer { rig.stop() }
        try await Self.check(.garbled(.badCRC, "garbled"), meter: meter, rig: rig, interval: 0.1, responseTimeout: 0.2)
        try await Self.check(.garbled(.wrongUnit, "garbled"), meter: meter, rig: rig, interval: 0.1, responseTimeout: 0.2)
        try await Self.check(.garbled(.trailingJunk, "garbled"), meter: meter, rig: rig, interval: 0.1, responseTimeout: 0.2)
    }

    /// Injects the fault into a few replies, then checks the oracle, the error counter and the recovery time.
    static func check(_ faultCase: ReplyFaultCase, meter: OracleMeter, rig: PollingRig, interval: Double, responseTimeout: Double) async throws {
        #expect(await eventually { rig.samples("m/low").count { $0.quality == .good } >= 3 && rig.samples("m/high").count { $0.quality == .good } >= 3 })
        let before = rig.device("m")?.errors.byName[faultCase.errorClass] ?? 0
        meter.inject(faultCase.fault, count: faultCase.count)
        #expect(await eventually(timeout: .seconds(15)) { meter.faultsRemaining == 0 && monotonicNow() > meter.faultClearedMonoNanos })
        let cleared = meter.faultClearedMonoNanos
        // Back within one poll, plus the request that may have been in flight (and its retry) when the fault ended.
        let bound = Int64((interval + 2 * responseTimeout + 0.05) * 1e9)
        #expect(await eventually(timeout: .seconds(5)) {
            ["m/low", "m/high"].allSatisfy { path in rig.samples(path).contains { $0.quality == .good && $0.time.monoNanos > cleared } }
        })
        for path in ["m/low", "m/high"] {
            let next = rig.samples(path).first { $0.quality == .good && $0.time.monoNanos > cleared }
            #expect((next?.time.monoNanos ?? .max) - cleared <= bound, "\(faultCase.fault.name): \(path) came back \(Double((next?.time.monoNanos ?? 0) - cleared) / 1e6) ms after the fault ended")
        }
        let wrong = rig.allSamples.filter { sample in
            sample.quality == .good && sample.value != oracle(sample.tag == rig.tag("m/low") ? 10 : 500)
        }
        #expect(wrong.isEmpty, "\(faultCase.fault.name): wrong values enqueued as good: \(wrong.prefix(3))")
        let errors = rig.device("m")?.errors.byName ?? [:]
        if let knownIssue = faultCase.knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue)) {
                #expect(errors[faultCase.errorClass, default: 0] > before, "\(faultCase.fault.name): counters \(errors)")
            }
        } else {
            #expect(errors[faultCase.errorClass, default: 0] > before, "\(faultCase.fault.name): counters \(errors)")
        }
        print("fault \(faultCase.fault.name): counters \(errors)")
    }
}
