/// Splits the byte stream of an RTU bus into request frames. Pure; no I/O.
///
/// libmodbus's own RTU receive filters on one unit id per context, but a simulated bus carries several
/// devices, so the server frames requests itself and lets the handler decide which units answer.
public struct RTUFramer {
    public private(set) var buffer: [UInt8] = []
    /// Bytes thrown away so far: bad CRCs, partial frames cut by silence, overflow.
    public private(set) var discardedBytes = 0

    public init() {}

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count > 512 {
            discardedBytes += buffer.count - 512
            buffer.removeFirst(buffer.count - 512)
        }
    }

    /// Drops pending bytes (after a silence longer than 3.5 characters, a partial frame is garbage).
    public mutating func reset() {
        discardedBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// The next complete frame with a good CRC, if any. Frames with a bad CRC are dropped, as a slave must.
    public mutating func nextFrame() -> [UInt8]? {
        while buffer.count >= 4 {
            guard let length = Self.expectedLength(buffer) else { return nil }
            guard buffer.count >= length else { return nil }
            let candidate = Array(buffer.prefix(length))
            let crc = CRC16.modbus(candidate.prefix(length - 2))
            if UInt16(candidate[length - 2]) | UInt16(candidate[length - 1]) << 8 == crc {
                buffer.removeFirst(length)
                return candidate
            }
            buffer.removeFirst()
            discardedBytes += 1
        }
        return nil
    }

    /// Length of a request frame from its first bytes, or nil when more bytes are needed.
    public static func expectedLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        switch bytes[1] {
        case 1...6: return 8
        case 15, 16:
            guard bytes.count >= 7 else { return nil }
            return 9 + Int(bytes[6])
        case 7, 11, 12, 17: return 4
        case 22: return 10
        case 23:
            guard bytes.count >= 11 else { return nil }
            return 13 + Int(bytes[10])
        default: return 8
        }
    }
}
