import ESG
import Foundation
import Ledger
import Logging
import PlantModel
import Synchronization

/// The daemon's side of the ledger: signs closed period records and events into one chain for the site
/// and hands them to the ledger thread (`LedgerAppender`) to store. Signing happens at once, in order,
/// on the caller's thread (the engine, the daemon, the control socket); the fsync does not. A record is
/// published only after its entry is stored (`afterCommit`), so whatever a subscriber saw is in the
/// ledger even after a SIGKILL. A failed store is logged and the record still goes out: figures are
/// never held back for the ledger's sake, and the gap shows in verification.
public final class LedgerWriter: Sendable {
    private struct Head {
        var chain: LedgerChain
        /// Last record seq signed per line and period kind: a record at or below it is a period closed
        /// again after a restart, looked up in the store; any other is appended without a read.
        var recordSeqs: [String: UInt64]
    }

    let store: LedgerStore
    private let appender: LedgerAppender
    private let head: Mutex<Head>
    let logger: Logger
    let directory: String
    /// Stamps the entries (plant time, like the records they seal).
    let clock: PlantClock
    /// Publishes the key payload (retained), at open and after a rotation.
    private let publishKey: @Sendable ([UInt8]) -> Void

    /// Opens the ledger in `directory`, creating the key (and its key-created entry) at first start and
    /// finishing a rotation a crash interrupted.
    public init(directory: String, site: String, logger: Logger, clock: PlantClock = .real,
                publishKey: @escaping @Sendable ([UInt8]) -> Void = { _ in }) throws {
        self.clock = clock
        store = try LedgerStore(directory: directory)
        let last = try store.last()
        if let last, last.header.site != site {
            throw LedgerStoreError("\(store.path) holds the chain of site \(last.header.site), not \(site); use another state directory for another site")
        }
        if let active = last.map({ Self.keyHandedOn(by: $0) }) { try LedgerKeyFile.finishRotation(in: directory, active: active) }
        let (signer, created) = try LedgerKeyFile.loadOrCreate(in: directory)
        if let last, Self.keyHandedOn(by: last) != signer.publicKey.id {
            logger.error("ledger key \(signer.publicKey.id) is not the key of the last entry (\(Self.keyHandedOn(by: last))): verification will break at the next entry; restore the old ledger.key")
        }
        head = Mutex(Head(chain: LedgerChain(site: site, signer: signer, after: last), recordSeqs: try store.lastRecordSeqs()))
        appender = try LedgerAppender(store: store, logger: logger)
        self.logger = logger
        self.directory = directory
        self.publishKey = publishKey
        if created || last == nil { append(.keyCreated(signer.publicKey)) }
        publishKey(keyPayload)
    }

    deinit { appender.close() }

    /// The key that signs new entries.
    public var publicKey: LedgerPublicKey { head.withLock { $0.chain.signer.publicKey } }

    /// The key the chain continues with after `entry`: the announced one after a rotation, else its signer.
    static func keyHandedOn(by entry: LedgerEntry) -> String {
        guard entry.header.event == "key-rotated", let key = entry.header.announcedKey.flatMap(LedgerPublicKey.init(base64:)) else {
            return entry.header.keyID
        }
        return key.id
    }

    /// Appends an event stamped with the plant clock's time now.
    public func append(_ event: LedgerEvent) {
        _ = append(event.json, kind: "event", what: event.name)
    }

    /// Runs `action` on the ledger thread once everything appended so far is stored.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        appender.submit(.then(action))
    }

    /// Returns once everything appended so far is stored.
    public func flush() { appender.flush() }

    /// Stores what is queued and ends the ledger thread (daemon stop, or before a reload opens it again).
    public func close() { appender.close() }

    /// The bytes to publish for `record`: its ledger entry (made now, or the stored one when this period
    /// was already sealed before a crash); entries for the events the record reports follow it.
    public func seal(_ record: PeriodRecord) -> [UInt8] {
        let slot = LedgerStore.slot(line: record.line, period: record.period.rawValue)
        // At or below the last seq: this period may have been sealed before a crash (same seq and start).
        // A seq seen with another start means the engine state was lost; the new record is appended and
        // verification shows the seq going back.
        if let last = head.withLock({ $0.recordSeqs[slot] }), record.seq <= last {
            appender.flush()
            if let stored = try? store.period(line: record.line, period: record.period.rawValue, seq: record.seq),
               stored.header.periodStart == UTCTimestamp.rfc3339(record.span.start) {
                return stored.bytes
            }
        }
        let bytes = seal(json: record.json())
        for event in Self.events(in: record) { append(event) }
        return bytes
    }

    /// The entry bytes for a period record given as its JSON object (the unsigned record bytes when it
    /// cannot be signed). Returns at once: storing happens on the ledger thread.
    public func seal(json plain: String) -> [UInt8] {
        append(plain, kind: "period", what: "period record")?.bytes ?? Array(plain.utf8)
    }

    /// The bytes to send again for a record the state store kept as pending across a crash: the stored
    /// entry when the ledger has it; else its entry was never stored (so never published) and the record
    /// is sealed again as a new entry. An unsigned payload stays as it is.
    public func reseal(_ payload: [UInt8]) -> [UInt8] {
        guard let entry = try? LedgerEntry(bytes: payload) else { return payload }
        appender.flush()
        if let stored = try? store.entry(number: entry.header.number), stored.hash == entry.hash { return stored.bytes }
        if let line = entry.header.line, let period = entry.header.period, let seq = entry.header.recordSeq,
           let stored = try? store.period(line: line, period: period, seq: seq), stored.header.periodStart == entry.header.periodStart {
            return stored.bytes
        }
        guard let plain = entry.sealedObject else { return payload }
        return seal(json: plain)
    }

    /// `{"alg":"Ed25519","key_id":…,"public_key":…}`, published retained so subscribers can verify.
    public var keyPayload: [UInt8] {
        Payloads.ledgerKey(id: publicKey.id, base64: publicKey.base64)
    }

    /// Moves to a new key: a `key-rotated` entry signed with the old key, stored before the new key
    /// replaces `ledger.key` (the old one is kept beside it); then the new key is published.
    public func rotateKey() throws -> (old: LedgerPublicKey, new: LedgerPublicKey, number: UInt64) {
        let at = UTCTimestamp.rfc3339(clock.now().wallNanos)
        let result: (old: LedgerPublicKey, new: LedgerPublicKey, number: UInt64) = try head.withLock { head in
            let next = try LedgerKeyFile.makeNext(in: directory)
            let old = head.chain.signer.publicKey
            var chain = head.chain
            let entry = try chain.rotate(to: next, at: at)
            appender.submit(.store(entry))
            appender.flush()
            guard try store.entry(number: entry.header.number) == entry else {
                throw LedgerStoreError("the key-rotated entry could not be stored in \(store.path) (see the log); the key is unchanged")
            }
            head.chain = chain
            try LedgerKeyFile.promoteNext(in: directory, retiring: old)
            return (old, next.publicKey, entry.header.number)
        }
        logger.notice("ledger key rotated: \(result.old.id) → \(result.new.id) (entry n=\(result.number))")
        publishKey(keyPayload)
        return result
    }

    private func append(_ object: String, kind: String, what: String) -> LedgerEntry? {
        let at = UTCTimestamp.rfc3339(clock.now().wallNanos)
        return head.withLock { head in
            do {
                let entry = try head.chain.append(object, kind: kind, at: at)
                if kind == "period", let line = entry.header.line, let period = entry.header.period, let seq = entry.header.recordSeq {
                    let slot = LedgerStore.slot(line: line, period: period)
                    head.recordSeqs[slot] = max(seq, head.recordSeqs[slot] ?? 0)
                }
                // In order, under the lock: the ledger thread stores entries as they were chained.
                appender.submit(.store(entry))
                return entry
            } catch {
                logger.error("ledger: cannot sign \(what): \(error)")
                return nil
            }
        }
    }
}
