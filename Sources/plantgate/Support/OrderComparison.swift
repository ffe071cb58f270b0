import PlantgateConsole
import PlantModel

/// One value decoded in every word order side by side, so that the right order is obvious.
struct OrderComparison: Sendable {
    /// One interpretation (type × order).
    struct Cell: Sendable, Encodable {
        var type: String
        var order: String
        /// The number; nil when it is not finite (see `text`) or a string.
        var value: Double?
        /// Exact text: integers in full, floats to 7 (float32) or 15 (float64) significant digits.
        var text: String
        var plausible: Bool
    }

    /// Floats outside this band are taken for a misread (denormal-tiny or astronomically large).
    static let plausibleMagnitude: ClosedRange<Double> = 1e-5...1e8
    static let legend = "✓ plausible float: finite and 0 or 1e-05 ≤ |x| ≤ 1e+08"

    var types: [ValueType]
    var orders: [WordOrder]
    /// Indexed [type][order].
    var cells: [[Cell]]

    /// The types tried when none is given: 32-bit for two registers, 64-bit for four, none otherwise.
    static func defaultTypes(registerCount: Int) -> [ValueType] {
        switch registerCount {
        case 2: [.float32, .int32, .uint32]
        case 4: [.float64, .int64, .uint64]
        default: []
        }
    }

    init(words: [UInt16], types: [ValueType], orders: [WordOrder] = WordOrder.allCases) {
        self.types = types
        self.orders = orders
        cells = types.map { type in orders.map { order in Self.cell(words: words, type: type, order: order) } }
    }

    static func isPlausible(_ value: Double) -> Bool {
        value.isFinite && (value == 0 || plausibleMagnitude.contains(abs(value)))
    }

    private static func cell(words: [UInt16], type: ValueType, order: WordOrder) -> Cell {
        let width = type == .string ? words.count : type.registerWidth
        guard width <= words.count, width >= 1 else {
            return Cell(type: type.rawValue, order: order.rawValue, value: nil, text: "-", plausible: false)
        }
        if type == .string {
            let text = words.withUnsafeBufferPointer {
                RegisterDecoder.decodeText(DecodeSpec(type: .string, order: order, registerCount: width), words: $0, at: 0)
            }
            return Cell(type: type.rawValue, order: order.rawValue, value: nil, text: "\"\(text ?? "")\"", plausible: false)
        }
        let raw = words.withUnsafeBufferPointer { RegisterDecoder.raw($0, at: 0, width: width, order: order) }
        var value: Double
        var text: String
        var isFloat = false
        switch type {
        case .int16: value = Double(Int16(truncatingIfNeeded: raw)); text = "\(Int16(truncatingIfNeeded: raw))"
        case .int32: value = Double(Int32(truncatingIfNeeded: raw)); text = "\(Int32(truncatingIfNeeded: raw))"
        case .int64: value = Double(Int64(bitPattern: raw)); text = "\(Int64(bitPattern: raw))"
        case .float32:
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: raw))
            value = Double(float); text = "\(float)"; isFloat = true
        case .float64:
            value = Double(bitPattern: raw); text = "\(value)"; isFloat = true
        default:
            value = Double(raw); text = "\(raw)"
        }
        let plausible = isFloat && isPlausible(value)
        return Cell(type: type.rawValue, order: order.rawValue, value: value.isFinite ? value : nil, text: text, plausible: plausible)
    }

    /// The comparison as a table: one row per type, one column per order.
    func table(on terminal: Terminal) -> TextTable {
        var table = TextTable(headers: ["TYPE"] + orders.map(\.rawValue), indent: 2)
        for (index, type) in types.enumerated() {
            table.append([TextTable.Cell(type.rawValue)] + cells[index].map { cell in
                cell.plausible ? TextTable.Cell(cell.text + " ✓", .good) : TextTable.Cell(cell.text)
            })
        }
        return table
    }
}
