import ESG
import Ledger
import Logging
import PlantModel
import Synchronization

/// The daemon's side of the ledger: signs and stores closed period records and events, in one chain for
/// the site. Used from the engine thread (records) and the daemon (start, stop, reload); appends are
/// serialised. A failed append is logged and the record still goes out unsigned: figures are never held
/// back for the ledger's sake, and the gap shows in verification.
public final class LedgerWriter: Sendable {
    private let store: LedgerStore
    private let chain: Mutex<LedgerChain>
    private let logger: Logger
    /// Stamps the entries (plant time, like the records they seal).
    private let clock: PlantClock
    /// The key that signs new entries.
    public let publicKey: LedgerPublicKey

    /// Opens the ledger in `directory`, creating the key (and its key-created entry) at first start.
    public init(directory: String, site: String, logger: Logger, clock: PlantClock = .real) throws {
        self.clock = clock
        store = try LedgerStore(directory: directory)
        let (signer, created) = try LedgerKeyFile.loadOrCreate(in: directory)
        let last = try store.last()
        if let last, last.header.site != site {
            throw LedgerStoreError("\(store.path) holds the chain of site \(last.header.site), not \(site); use another state directory for another site")
        }
        if let last, last.header.keyID != signer.publicKey.id, last.header.event != "key-rotated" {
            logger.error("ledger key \(signer.publicKey.id) is not the key of the last entry (\(last.header.keyID)): verification will break at the next entry; restore the old ledger.key")
        }
        chain = Mutex(LedgerChain(site: site, signer: signer, after: last))
        self.logger = logger
        publicKey = signer.publicKey
        if created || last == nil { append(.keyCreated(signer.publicKey)) }
    }

    /// Appends an event stamped with the plant clock's time now.
    public func append(_ event: LedgerEvent) {
        _ = append(event.json, kind: "event", what: event.name)
    }

    /// The bytes to publish for `record`: its ledger entry (made now, or the stored one when this period
    /// was already sealed before a crash); entries for the meter events the record reports follow it.
    public func seal(_ record: PeriodRecord) -> [UInt8] {
        let plain = record.json()
        // Same seq and same period start: this period was sealed before a crash. A seq seen with another
        // start means the engine state was lost; the new record is appended and verification shows the
        // seq going back.
        if let stored = try? store.period(line: record.line, period: record.period.rawValue, seq: record.seq),
           stored.header.periodStart == UTCTimestamp.rfc3339(record.span.start) {
            return stored.bytes
        }
        guard let entry = append(plain, kind: "period", what: "\(record.line) \(record.period.rawValue) seq \(record.seq)") else {
            return Array(plain.utf8)
        }
        for event in Self.events(in: record) { append(event) }
        return entry.bytes
    }

    /// The counter corrections and clock steps a closed record carries, as ledger events.
    static func events(in record: PeriodRecord) -> [LedgerEvent] {
        let meterReasons: [(ReasonSet, String)] = [(.rollover, "ROLLOVER"), (.reset, "RESET"), (.jump, "JUMP"), (.backwards, "BACKWARDS")]
        var events: [LedgerEvent] = []
        for counter in record.counters {
            for (reason, code) in meterReasons where counter.reasons.contains(reason) {
                events.append(.meter(reason: code, line: record.line, period: record.period.rawValue, label: record.span.label,
                                     tag: counter.tagPath, unit: counter.unit, before: counter.rawStart, after: counter.rawEnd))
            }
        }
        if record.reasons.contains(.clockStep) {
            events.append(.clockStep(line: record.line, period: record.period.rawValue, label: record.span.label))
        }
        return events
    }

    /// `{"alg":"Ed25519","key_id":…,"public_key":…}`, published retained so subscribers can verify.
    public var keyPayload: [UInt8] {
        Payloads.ledgerKey(id: publicKey.id, base64: publicKey.base64)
    }

    private func append(_ object: String, kind: String, what: String) -> LedgerEntry? {
        let at = UTCTimestamp.rfc3339(clock.now().wallNanos)
        return chain.withLock { chain in
            var next = chain
            do {
                let entry = try next.append(object, kind: kind, at: at)
                try store.append(entry)
                chain = next
                return entry
            } catch {
                logger.error("ledger: cannot append \(what) to \(store.path): \(error)")
                return nil
            }
        }
    }
}
