import Crypto

/// Lower-case hex, the form of every hash in the ledger.
enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of `bytes` in hex.
    static func sha256(_ bytes: some RandomAccessCollection<UInt8>) -> String {
        string(SHA256.hash(data: Array(bytes)))
    }
}
