import Synchronization

extension SparkplugSession {
    /// What a replayed record came to.
    public enum Replay: Sendable, Hashable {
        /// Published as DDATA flagged historical, after the births.
        case sent
        /// The node is not born (link down, primary host offline): keep the record for the next births.
        case notBorn
        /// The device is down: a DDATA for it would break the rules; the record cannot be replayed.
        case deviceDown
    }

    /// Publishes a live DDATA, or hands the changed values to `keep` (device id, updates) while they
    /// must wait (see `SparkplugNode.deviceDataOrKeep`). `keep` runs under the session's lock, so a
    /// value kept here is ordered before anything `releaseBacklog` lets through later.
    public func deviceDataOrKeep(
        _ deviceID: String, _ updates: [SparkplugValueUpdate], keep: (String, [SparkplugValueUpdate]) -> Void
    ) throws(SparkplugError) {
        let failure: SparkplugError? = node.withLock { node in
            do throws(SparkplugError) {
                let offer = try node.deviceDataOrKeep(deviceID, updates, at: clock())
                offer.messages.forEach(publish)
                if !offer.kept.isEmpty { keep(deviceID, offer.kept) }
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Replays one stored record as DDATA flagged historical, if the node is born and the device up.
    public func replay(_ deviceID: String, _ updates: [SparkplugValueUpdate]) throws(SparkplugError) -> Replay {
        let outcome: Result<Replay, SparkplugError> = node.withLock { node in
            guard node.isBorn else { return .success(.notBorn) }
            guard node.isDeviceOnline(deviceID) else { return .success(.deviceDown) }
            do throws(SparkplugError) {
                try node.historicalDeviceData(deviceID, updates, at: clock()).forEach(publish)
                return .success(.sent)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Live data waits behind stored data from now on (see `SparkplugNode.holdBacklog`).
    public func holdBacklog() {
        node.withLock { $0.holdBacklog() }
    }

    /// Lets held-back live data flow again if the node is born and `nothingLeft` (checked under the
    /// session's lock, so no value can be kept between the check and the release). Returns whether it
    /// released a held backlog.
    public func releaseBacklog(if nothingLeft: () -> Bool) -> Bool {
        node.withLock { node in
            guard node.isBorn, node.holdsBacklog, nothingLeft() else { return false }
            node.backlogReplayed()
            return true
        }
    }

    /// Whether live data waits behind stored data.
    public var holdsBacklog: Bool { node.withLock { $0.holdsBacklog } }
}
