import Foundation
import ModbusProtocol

/// Where one tag's value sits in a request's answer.
public struct TagSlot: Sendable, Hashable {
    public var tag: TagIndex
    /// Registers (or bits) from the request's start.
    public var offset: Int
    /// Registers (or bits) the tag spans.
    public var count: Int

    public init(tag: TagIndex, offset: Int, count: Int) {
        self.tag = tag
        self.offset = offset
        self.count = count
    }
}

/// One read request (FC 1–4) and the tags its answer feeds.
public struct ReadRequest: Sendable, Hashable, CustomStringConvertible {
    public var table: RegisterTable
    public var start: Int
    public var count: Int
    /// Sorted by offset.
    public var slots: [TagSlot]

    public init(table: RegisterTable, start: Int, count: Int, slots: [TagSlot]) {
        self.table = table
        self.start = start
        self.count = count
        self.slots = slots
    }

    /// `FC03 3059+2`.
    public var description: String { "FC\(String(format: "%02d", table.functionCode)) \(start)+\(count)" }
}

/// A span a tag needs read, the planner's input.
public struct TagSpan: Sendable, Hashable {
    public var tag: TagIndex
    public var address: RegisterAddress
    public var count: Int

    public init(tag: TagIndex, address: RegisterAddress, count: Int) {
        self.tag = tag
        self.address = address
        self.count = count
    }
}
