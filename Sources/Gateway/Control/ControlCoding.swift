import Foundation

extension ControlProtocol {
    /// The daemon's answers: snake_case keys, the names the health and stats topics use, in sorted
    /// order so that `plantgate status --json` diffs cleanly from one run to the next.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads answers in snake_case, and the camelCase of daemons before protocol version 2 (a key
    /// without `_` is kept as it is, which is its camelCase property name).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
