import Foundation

/// One ledger entry exactly as published and exported: a JSON object on one line,
///
///     {…record or event fields…,"ledger":{…chain fields…},"hash":"<hex>","sig":"<base64>"}
///
/// The signed bytes are the line up to (not including) its last `,"hash":"`. `hash` is the SHA-256 of
/// those bytes and `sig` their Ed25519 signature, so a verifier cuts the line, never re-serialises.
public struct LedgerEntry: Sendable, Hashable {
    /// The whole line, without a line break.
    public let bytes: [UInt8]
    /// How many leading bytes are signed.
    public let signedCount: Int
    /// The `hash` field as written (hex).
    public let hash: String
    /// The `sig` field, decoded.
    public let signature: [UInt8]
    /// The chain fields and the record or event fields the verifier needs.
    public let header: LedgerHeader

    /// The cut between signed bytes and the trailer.
    static let trailerStart = Array(",\"hash\":\"".utf8)
    /// The mark the MQTT outbox puts first in a replayed message (docs/mqtt.md): not part of the entry.
    static let replayMark = Array("{\"hist\":true,".utf8)

    /// Parses a line (an MQTT message replayed with a leading `"hist":true,` is taken without that mark);
    /// throws a `LedgerProblem.Kind` saying what is malformed.
    public init(bytes: [UInt8]) throws(LedgerProblem.Kind) {
        var bytes = bytes
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        if bytes.starts(with: Self.replayMark) { bytes.removeSubrange(1..<Self.replayMark.count) }
        guard let cut = Self.lastIndex(of: Self.trailerStart, in: bytes) else {
            throw .malformed("no \"hash\" and \"sig\" trailer: not a signed ledger entry")
        }
        let trailer = String(decoding: bytes[(cut + 1)...], as: UTF8.self)
        let fields = trailer.split(separator: "\"", omittingEmptySubsequences: false)
        // "hash":"<hex>","sig":"<b64>"}  splits as ["", hash, :, <hex>, ",", sig, :, <b64>, "}"]
        guard fields.count == 9, fields[1] == "hash", fields[2] == ":", fields[4] == ",", fields[5] == "sig",
              fields[6] == ":", fields[8] == "}" else {
            throw .malformed("trailer is not ,\"hash\":\"…\",\"sig\":\"…\"}")
        }
        guard let signature = Base64.decode(String(fields[7])), signature.count == 64 else {
            throw .malformed("sig is not a Base64 Ed25519 signature")
        }
        var closed = Array(bytes[..<cut])
        closed.append(UInt8(ascii: "}"))
        self.bytes = bytes
        signedCount = cut
        hash = String(fields[3])
        self.signature = signature
        header = try LedgerHeader(json: closed)
    }

    /// The bytes the signature and hash cover.
    public var signedBytes: ArraySlice<UInt8> { bytes[..<signedCount] }

    /// The line as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The record or event object the entry seals, as `LedgerChain.append` was given it (the chain fields
    /// cut off); nil for an empty object, which no record is.
    public var sealedObject: String? {
        let signed = String(decoding: signedBytes, as: UTF8.self)
        guard let cut = signed.range(of: ",\"ledger\":{\"v\":", options: .backwards) else { return nil }
        return String(signed[..<cut.lowerBound]) + "}"
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }
}
