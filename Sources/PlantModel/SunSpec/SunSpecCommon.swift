/// SunSpec common model 1: who made the device. Points from its first data register: Mn (manufacturer,
/// 16 registers), Md (model, 16), Opt (8), Vr (version, 8), SN (serial number, 16), DA (device address).
public struct SunSpecCommon: Sendable, Hashable, Encodable {
    public var manufacturer: String
    public var model: String
    public var version: String
    public var serial: String

    /// Data registers read to decode it (Mn … SN).
    public static let length = 64

    /// Decodes the model's data registers (ASCII, two characters per register, NUL-padded).
    public init?(data words: [UInt16]) {
        guard words.count >= Self.length else { return nil }
        func text(_ offset: Int, _ length: Int) -> String {
            let spec = DecodeSpec(type: .string, registerCount: length)
            return words.withUnsafeBufferPointer { RegisterDecoder.decodeText(spec, words: $0, at: offset) } ?? ""
        }
        manufacturer = text(0, 16)
        model = text(16, 16)
        version = text(40, 8)
        serial = text(48, 16)
    }
}
