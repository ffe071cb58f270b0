/// Where text stops being UTF-8, as a technician's editor counts it (line, column), so that a stray
/// Latin-1 byte pasted into a config can be found without a hex dump.
enum UTF8Position {
    /// The line and column (both 1-based; the column counts characters) of the first byte that is not
    /// part of well-formed UTF-8, or nil when every byte is.
    static func firstInvalid(in bytes: some Collection<UInt8>) -> (line: Int, column: Int)? {
        let bytes = Array(bytes)
        var index = 0, line = 1, column = 1
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else { return (line, column) }
            if bytes[index] == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence at `index`, or 0 (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF).
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}
