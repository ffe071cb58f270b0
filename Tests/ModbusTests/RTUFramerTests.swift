import ModbusProtocol
import Testing

@Suite("RTU request framing")
struct RTUFramerTests {
    private func frame(unit: UInt8, address: UInt16) -> [UInt8] {
        let body: [UInt8] = [unit, 3, UInt8(address >> 8), UInt8(address & 0xFF), 0, 1]
        let crc = CRC16.modbus(body[...])
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    private func feed(_ framer: inout RTUFramer, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { framer.append($0) }
    }

    @Test func twoFramesInOneReadAreBothFound() {
        var framer = RTUFramer()
        feed(&framer, frame(unit: 9, address: 0) + frame(unit: 10, address: 0))
        #expect(framer.nextFrame()?.first == 9)
        #expect(framer.nextFrame()?.first == 10)
        #expect(framer.nextFrame() == nil)
        #expect(framer.discardedBytes == 0)
    }

    @Test func garbageBeforeAFrameIsCountedAndSkipped() {
        var framer = RTUFramer()
        feed(&framer, [0x55, 0x01, 0x02] + frame(unit: 4, address: 7))
        #expect(framer.nextFrame() == frame(unit: 4, address: 7))
        #expect(framer.discardedBytes == 3)
    }

    @Test func aPartialFrameCutBySilenceIsCounted() {
        var framer = RTUFramer()
        feed(&framer, Array(frame(unit: 2, address: 0).prefix(5)))
        #expect(framer.nextFrame() == nil)
        framer.reset()
        #expect(framer.discardedBytes == 5)
        feed(&framer, frame(unit: 2, address: 0))
        #expect(framer.nextFrame()?.first == 2)
    }
}
