import ControlProtocol
import Foundation
import Ledger
import Testing
import TestSupport
@testable import Gateway

/// Key rotation on a real state directory: the files, the chain, the published key, and a rotation a
/// crash cut short.
@Suite struct LedgerRotationTests {
    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func aRotationKeepsTheOldKeyAndTheChainVerifiesAcrossIt() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let published = PublishedKeys()
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger) { published.add($0) }
        let oldKey = writer.publicKey
        _ = writer.seal(LedgerWriterTests.record(seq: 1, start: 0))
        let rotation = try LedgerRotation.rotate(writer)
        _ = writer.seal(LedgerWriterTests.record(seq: 2, start: 3_600_000_000_000))
        writer.close()

        #expect(rotation.oldKeyID == oldKey.id && rotation.keyID == writer.publicKey.id && rotation.keyID != oldKey.id)
        #expect(try LedgerKeyFile.load(in: directory.path).publicKey.id == rotation.keyID)
        #expect(try Self.mode(LedgerKeyFile.path(in: directory.path)) == 0o600)
        #expect(rotation.oldKeyFile == LedgerKeyFile.retiredPath(in: directory.path, of: oldKey))
        #expect(try Self.mode(rotation.oldKeyFile) == 0o600)
        let oldSeed = try #require(FileManager.default.contents(atPath: rotation.oldKeyFile))
        #expect(try SoftwareSigner(seed: Array(oldSeed)).publicKey == oldKey)
        #expect(published.ids == [oldKey.id, rotation.keyID])

        let lines = try LedgerStore(directory: directory.path, readOnly: true).lines()
        let headers = try lines.map { try LedgerEntry(bytes: $0).header }
        #expect(headers.map { $0.event ?? "period" } == ["key-created", "period", "key-rotated", "period"])
        #expect(headers[2].keyID == oldKey.id && headers[2].number == rotation.entry && headers[3].keyID == rotation.keyID)
        let result = LedgerVerifier().verify(lines)
        #expect(result.problem == nil && result.keyIDs == [oldKey.id, rotation.keyID])

        // Reopened, it goes on with the new key.
        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        reopened.append(.stopped(reason: "test"))
        reopened.close()
        #expect(LedgerVerifier().verify(try LedgerStore(directory: directory.path, readOnly: true).lines()).problem == nil)
    }

    @Test func theControlAnswerReadsBackWithItsWireNames() throws {
        let rotation = LedgerRotation(oldKeyID: "ed25519:14fb79129eb988c8", keyID: "ed25519:5e0a1c2d3b4f6789", publicKey: "fIz7yY7HWcvYOdINIxS4FJnTjA5wH3IN/ANj8Yd/QMc=",
                                      entry: 4711, oldKeyFile: "/var/lib/plantgate/ledger.key.14fb79129eb988c8")
        let wire = try ControlProtocol.encoder().encode(rotation)
        #expect(String(decoding: wire, as: UTF8.self).contains(#""key_id":"ed25519:5e0a1c2d3b4f6789","old_key_file""#))
        #expect(try ControlProtocol.decoder().decode(LedgerRotation.self, from: wire) == rotation)
        // What both programs print (docs/verifying.md shows these lines).
        #expect(rotation.summary == [
            "old key id: ed25519:14fb79129eb988c8  (kept as /var/lib/plantgate/ledger.key.14fb79129eb988c8)",
            "new key id: ed25519:5e0a1c2d3b4f6789",
            "public key: fIz7yY7HWcvYOdINIxS4FJnTjA5wH3IN/ANj8Yd/QMc=  (Ed25519, 32 bytes, Base64)",
            "announced by entry n=4711, signed with the old key",
        ])
    }

    @Test func aRotationCutShortAfterItsAnnouncementIsFinishedAtTheNextOpen() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        writer.close()
        // The announcement is stored, then the process dies before the new key is moved into place.
        let store = try LedgerStore(directory: directory.path)
        let old = try LedgerKeyFile.load(in: directory.path)
        let next = try LedgerKeyFile.makeNext(in: directory.path)
        var chain = LedgerChain(site: "kz-lioh", signer: old, after: try store.last())
        try store.append(try chain.rotate(to: next, at: "2026-12-01T06:00:00.000Z"))

        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        #expect(reopened.publicKey == next.publicKey)
        reopened.append(.stopped(reason: "test"))
        reopened.close()
        #expect(FileManager.default.fileExists(atPath: LedgerKeyFile.retiredPath(in: directory.path, of: old.publicKey)))
        #expect(LedgerVerifier().verify(try LedgerStore(directory: directory.path, readOnly: true).lines()).problem == nil)
    }

    @Test func aRotationCutShortBeforeItsAnnouncementLeavesTheOldKey() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        let old = writer.publicKey
        writer.close()
        _ = try LedgerKeyFile.makeNext(in: directory.path)
        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        #expect(reopened.publicKey == old)
        #expect(!FileManager.default.fileExists(atPath: LedgerKeyFile.path(in: directory.path) + ".next"))
    }
}

/// Key payloads as the daemon would publish them.
final class PublishedKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var payloads: [[UInt8]] = []

    func add(_ payload: [UInt8]) { lock.withLock { payloads.append(payload) } }

    var ids: [String] {
        lock.withLock { payloads }.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])?["key_id"] as? String
        }
    }
}
