/// What kind of plant data a message carries; decides whether it is spooled and what is dropped first.
public enum MessageClass: Int, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// `{prefix}/{site}/status`: birth and last will, written by the publisher itself.
    case status = 0
    /// A closed period record (hour, day, shift): the ESG ledger. Durable; dropped last.
    case period = 1
    /// A live ESG metric of a line. Durable; dropped after raw tags.
    case metric = 2
    /// A device health summary. Latest wins: never spooled, only the newest per topic is kept offline.
    case health = 3
    /// The gateway's own figures. Latest wins, like `health`.
    case stats = 4
    /// A raw tag value as polled. Sent straight out when connected; spilled to the spool during a
    /// long outage and dropped first when the spool is full.
    case raw = 5

    /// Written to the spool before publishing and deleted only after the broker's acknowledgement.
    public var isDurable: Bool { self == .period || self == .metric }

    /// Only the newest message per topic matters (retained snapshots): never spooled.
    public var isLatestWins: Bool { self == .health || self == .stats || self == .status }

    /// Order in which a full spool gives rows up: lower goes first.
    var dropRank: Int {
        switch self {
        case .raw: 0
        case .metric: 1
        case .period: 2
        case .status, .health, .stats: 3
        }
    }

    public var description: String {
        switch self {
        case .status: "status"
        case .period: "period"
        case .metric: "metric"
        case .health: "health"
        case .stats: "stats"
        case .raw: "raw"
        }
    }
}
