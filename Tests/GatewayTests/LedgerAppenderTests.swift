import Foundation
import Ledger
import Testing
import TestSupport
@testable import Gateway

/// The ledger thread's hand-off: nothing handed over is lost, even when a close comes in the middle.
@Suite(.timeLimit(.minutes(1))) struct LedgerAppenderTests {
    @Test func entriesHandedOverWhileClosingAreStoredAllTheSame() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory.path)
        var chain = LedgerChain(site: "kz-lioh", signer: SoftwareSigner())
        let entries = try (0..<400).map { try chain.append(.stopped(reason: "entry \($0)"), at: "2026-12-01T00:00:00.000Z") }
        let appender = try LedgerAppender(store: store, logger: LedgerWriterTests.logger)
        let handedOver = DispatchSemaphore(value: 0)
        let submitter = Thread {
            for (index, entry) in entries.enumerated() {
                appender.submit(.store(entry))
                if index == 100 { handedOver.signal() }
            }
            appender.flush()  // before or after the close: returns once every entry above is stored
            handedOver.signal()
        }
        submitter.start()
        handedOver.wait()
        appender.close()
        handedOver.wait()
        appender.close()  // again: nothing left to do
        #expect(try store.lines() == entries.map(\.bytes))
    }
}
