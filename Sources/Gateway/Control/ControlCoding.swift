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

    /// Reads answers in snake_case (and, a key without `_` being kept as it is, most of version 1's
    /// camelCase: all but `lastGoodPoll`, now `last_poll` as on the health topic).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
