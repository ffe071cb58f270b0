import ModbusProtocol
/// One request a Modbus server received, as the simulator's handler sees it.
public struct ModbusRequest: Sendable, Hashable {
    public var unit: UInt8
    public var functionCode: UInt8
    /// Start address; meaningful for function codes 1–6, 15, 16.
    public var address: UInt16
    /// Item count for reads (registers or bits).
    public var count: UInt16

    public init(unit: UInt8, functionCode: UInt8, address: UInt16, count: UInt16) {
        self.unit = unit
        self.functionCode = functionCode
        self.address = address
        self.count = count
    }

    /// The table this request reads, or nil when it is not a read (FC 1–4).
    public var table: RegisterTable? { RegisterTable(functionCode: functionCode) }
}

/// What a server should answer; faults let the simulator and tests behave like sick devices.
public indirect enum ModbusReply: Sendable, Hashable {
    /// A normal answer to FC 3/4 (padded or cut to the requested count).
    case registers([UInt16])
    /// A normal answer to FC 1/2.
    case bits([Bool])
    /// A Modbus exception response.
    case exception(ModbusException)
    /// No answer at all: the client times out.
    case silence
    /// Answer after a pause (seconds): a slow device.
    case delayed(Double, ModbusReply)
    /// Answer one byte at a time with a pause (seconds) between bytes: a slow-loris device.
    case trickled(Double, ModbusReply)
    /// A malformed answer built from this good one.
    case garbled(ReplyFault, ModbusReply)
    /// Close the connection instead of answering (TCP); on RTU, the same as silence.
    case disconnect
}

/// The ways a reply can be malformed on purpose.
public enum ReplyFault: String, Sendable, Hashable, CaseIterable, Codable {
    case wrongTransactionID = "wrong_tid"
    case wrongUnit = "wrong_unit"
    case wrongFunction = "wrong_function"
    case byteCountTooLarge = "byte_count_large"
    case byteCountTooSmall = "byte_count_small"
    /// Half the frame, and the link stays open.
    case truncated
    /// Half the frame, then the connection closes.
    case closeMidReply = "close_mid_reply"
    case trailingJunk = "trailing_junk"
    /// RTU: a wrong CRC. On TCP, the same as `byteCountTooSmall`.
    case badCRC = "bad_crc"
}

/// Decides the answer to each request. Called concurrently from every connection's thread.
public protocol ModbusRequestHandler: Sendable {
    func reply(to request: ModbusRequest) -> ModbusReply
}
