import Foundation
import Testing
@testable import Ledger

/// The worked example in docs/verifying.md is a real entry: it verifies with the key the page gives.
@Suite struct DocumentedExampleTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/verifying.md").path

    @Test func theWorkedExampleVerifies() throws {
        let text = try String(contentsOfFile: Self.page, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("{\"event\":\"start\"") })
        let key = try #require(LedgerPublicKey(base64: "fIz7yY7HWcvYOdINIxS4FJnTjA5wH3IN/ANj8Yd/QMc="))
        #expect(text.contains(key.id))
        let entry = try LedgerEntry(bytes: Array(line.utf8))
        #expect(entry.signedCount == 257)
        #expect(Hex.sha256(entry.signedBytes) == entry.hash)
        #expect(key.verifies(entry.signature, of: entry.signedBytes))
        #expect(LedgerVerifier(trustedKeys: [key]).verify([Array(line.utf8)]).problem == nil)
    }
}
