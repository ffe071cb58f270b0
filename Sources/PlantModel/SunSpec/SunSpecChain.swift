/// SunSpec device discovery: the "SunS" marker and the chain of models behind it.
///
/// A SunSpec device holds the two registers 0x5375 0x6E53 ("SunS") at one of the well-known base
/// addresses, then models back to back, each `ID, L, L data registers`, up to the end model `0xFFFF, 0`.
/// Pure: the registers come from a read function, so the walk is unit-tested without a device.
public enum SunSpecChain {
    /// "SunS" as two big-endian registers.
    public static let marker: [UInt16] = [0x5375, 0x6E53]
    /// Where the marker may sit (0-based PDU addresses), in the order tried.
    public static let bases = [40_000, 0, 50_000]
    /// The end model's id.
    public static let endID: UInt16 = 0xFFFF
    /// More models than this is a broken chain, not a device.
    public static let maxModels = 64

    /// One model of the chain.
    public struct Model: Sendable, Hashable {
        public var id: Int
        /// Data registers after the two header registers.
        public var length: Int
        /// Address of the model's ID register; its data starts at `address + 2`.
        public var address: Int

        public init(id: Int, length: Int, address: Int) {
            self.id = id
            self.length = length
            self.address = address
        }

        /// SunSpec's name for the well-known models plantgate reads.
        public var name: String {
            switch id {
            case 1: "common"
            case 101: "inverter, single phase"
            case 102: "inverter, split phase"
            case 103: "inverter, three phase"
            case 160: "MPPT extension"
            case 201...204: "meter"
            default: "model \(id)"
            }
        }
    }

    /// What a walk found.
    public struct Discovery: Sendable, Hashable {
        public var base: Int
        public var models: [Model]
        /// Whether the walk reached the end model (false: it stopped at an unreadable or broken model).
        public var complete: Bool
    }

    public enum WalkError: Error, Sendable, Hashable, CustomStringConvertible {
        /// No base answered with "SunS".
        case noMarker(tried: [Int])

        public var description: String {
            switch self {
            case .noMarker(let tried):
                "no SunSpec marker \"SunS\" (0x5375 0x6E53) at \(tried.map(String.init).joined(separator: ", ")): not a SunSpec device, or another unit id"
            }
        }
    }

    /// Finds the marker and walks the models to the end model.
    ///
    /// `read(address, count)` returns the registers or nil (exception, timeout). A chain that runs past
    /// address 65535, loops, or exceeds `maxModels` stops there with `complete == false`.
    public static func discover(read: (Int, Int) -> [UInt16]?) throws(WalkError) -> Discovery {
        guard let base = bases.first(where: { read($0, 2) == marker }) else { throw .noMarker(tried: bases) }
        var models: [Model] = []
        var address = base + 2
        while models.count < maxModels, address + 2 <= 65_536, let header = read(address, 2), header.count == 2 {
            if header[0] == endID { return Discovery(base: base, models: models, complete: true) }
            let model = Model(id: Int(header[0]), length: Int(header[1]), address: address)
            models.append(model)
            address += 2 + model.length
        }
        return Discovery(base: base, models: models, complete: false)
    }
}
