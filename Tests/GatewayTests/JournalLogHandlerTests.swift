import Gateway
import Logging
import Synchronization
import Testing

/// Collects the lines a handler writes instead of sending them to stderr.
private final class CapturedLines: LogLineSink {
    private let lines = Mutex([String]())
    func write(line: String) { self.lines.withLock { $0.append(line) } }
    var all: [String] { self.lines.withLock { $0 } }
}

/// A clock the test moves by hand.
final class StepClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    func now() -> ContinuousClock.Instant { self.instant.withLock { $0 } }
    func advance(by duration: Duration) { self.instant.withLock { $0 += duration } }
}

private struct MeterTimeout: Error, CustomStringConvertible {
    var description: String { "no reply from unit 7 within 500 ms" }
}

private func journalLogger(level: Logger.Level = .trace, prefix: JournalLogHandler.Prefix = .syslogPriority) -> (Logger, CapturedLines) {
    let capture = CapturedLines()
    let logger = Logger(label: "plantgate.test") { label in
        JournalLogHandler(label: label, logLevel: level, prefix: prefix, sink: capture)
    }
    return (logger, capture)
}

@Suite struct JournalLogHandlerTests {
    @Test(arguments: [
        (Logger.Level.critical, "<3>"), (.error, "<3>"), (.warning, "<4>"), (.notice, "<5>"),
        (.info, "<6>"), (.debug, "<7>"), (.trace, "<7>"),
    ])
    func eachLevelGetsItsSyslogPriority(level: Logger.Level, prefix: String) {
        let (logger, capture) = journalLogger()
        logger.log(level: level, "bus rs485-1 opened")
        #expect(capture.all == [prefix + "bus rs485-1 opened\n"])
    }

    @Test func metadataIsSortedAndQuotedOnlyWhenNeeded() {
        let (logger, capture) = journalLogger()
        logger.info("connected to broker", metadata: [
            "device": "pump-3", "broker": "10.0.0.5:1883", "reason": "link up again",
            "empty": "", "query": "a=b", "said": "he said \"hi\"", "registers": .array(["40001", "40003"]),
        ])
        #expect(capture.all == [
            #"<6>connected to broker broker=10.0.0.5:1883 device=pump-3 empty="" query="a=b" reason="link up again" registers="[40001, 40003]" said="he said \"hi\"""# + "\n"
        ])
    }

    @Test func secretsNeverPrintTheirValue() {
        let (logger, capture) = journalLogger()
        logger.warning("mqtt login refused", metadata: [
            "mqtt_password": "hunter2", "apiToken": "tok-123", "user": "gateway",
            "tls": ["client_secret": "s3cr3t", "ca": "/etc/ssl/site.pem"],
        ])
        let line = capture.all.joined()
        #expect(line == "<4>mqtt login refused apiToken=<redacted> mqtt_password=<redacted> tls=\"[ca: /etc/ssl/site.pem, client_secret: <redacted>]\" user=gateway\n")
        for secret in ["hunter2", "tok-123", "s3cr3t"] { #expect(!line.contains(secret)) }
    }

    @Test func aMultiLineEventStaysOnOneLine() {
        let (logger, capture) = journalLogger()
        logger.error("config rejected:\nline 4: refresh must be > 0", metadata: ["detail": "first\nsecond"])
        #expect(capture.all == ["<3>config rejected:\\nline 4: refresh must be > 0 detail=\"first\\nsecond\"\n"])
    }

    @Test func callMetadataOverridesProviderWhichOverridesHandlerMetadata() {
        let capture = CapturedLines()
        let provider = Logger.MetadataProvider { ["line": "sx-ew-2", "bus": "from-provider"] }
        var logger = Logger(label: "t") {
            JournalLogHandler(label: $0, sink: capture, metadataProvider: provider)
        }
        logger[metadataKey: "bus"] = "from-handler"
        logger[metadataKey: "device"] = "from-handler"
        logger.info("polled", metadata: ["device": "from-call"])
        #expect(capture.all == ["<6>polled bus=from-provider device=from-call line=sx-ew-2\n"])
    }

    @Test func belowTheConfiguredLevelNothingIsWritten() {
        let (logger, capture) = journalLogger(level: .info)
        logger.debug("raw frame 01 03 00 00")
        logger.info("kept")
        #expect(capture.all == ["<6>kept\n"])
    }

    @Test func anAttachedErrorIsPrintedAsMetadata() {
        let capture = CapturedLines()
        let handler = JournalLogHandler(label: "t", sink: capture)
        handler.log(event: LogEvent(
            level: .error, message: "poll failed", error: MeterTimeout(), metadata: ["device": "flow-2"],
            source: nil, file: #fileID, function: #function, line: #line
        ))
        #expect(capture.all == ["<3>poll failed device=flow-2 error=\"no reply from unit 7 within 500 ms\"\n"])
    }

    @Test func aTerminalGetsLevelNamesInsteadOfPriorities() {
        #expect(JournalLogHandler.preferredPrefix(environment: ["JOURNAL_STREAM": "8:12345"]) == .syslogPriority)
        #expect(JournalLogHandler.preferredPrefix(environment: [:]) == .levelName)
        let (logger, capture) = journalLogger(prefix: .levelName)
        logger.warning("broker unreachable", metadata: ["broker": "10.0.0.5"])
        #expect(capture.all == ["warning: broker unreachable broker=10.0.0.5\n"])
    }
}

extension JournalLogHandlerTests {
    @Suite struct LogRateLimiterTests {
        @Test func repeatsAreCountedAndSummarisedOncePerWindow() {
            let clock = StepClock()
            let limiter = LogRateLimiter(window: .seconds(60), now: { clock.now() })
            let first = limiter.note("timeout reading 40001", key: "flow-2")
            #expect(first.map(\.text) == ["timeout reading 40001"])
            #expect(first.map(\.kind) == [.occurrence])
            for _ in 1...5 {
                clock.advance(by: .seconds(10))
                #expect(limiter.note("timeout reading 40001", key: "flow-2").isEmpty)
            }
            clock.advance(by: .seconds(10))
            let summary = limiter.note("timeout reading 40001", key: "flow-2")
            #expect(summary.map(\.text) == ["timeout reading 40001 (repeated 6 times in the last 60 s)"])
            #expect(summary.map(\.kind) == [.repeated(count: 6)])
            clock.advance(by: .seconds(1))
            #expect(limiter.note("timeout reading 40001", key: "flow-2").isEmpty)
        }

        @Test func aChangedMessageIsLoggedAtOnceAfterSummarisingTheOldOne() {
            let clock = StepClock()
            let limiter = LogRateLimiter(now: { clock.now() })
            _ = limiter.note("timeout", key: "flow-2")
            clock.advance(by: .seconds(4))
            _ = limiter.note("timeout", key: "flow-2")
            clock.advance(by: .seconds(3))
            let lines = limiter.note("exception 0x02 illegal data address", key: "flow-2")
            #expect(lines.map(\.text) == ["timeout (repeated 1 time in the last 7 s)", "exception 0x02 illegal data address"])
            #expect(lines.map(\.kind) == [.repeated(count: 1), .occurrence])
        }

        @Test func clearingLogsTheEndOfTheConditionOnce() {
            let clock = StepClock()
            let limiter = LogRateLimiter(now: { clock.now() })
            _ = limiter.note("timeout", key: "flow-2", level: .warning)
            clock.advance(by: .seconds(2))
            _ = limiter.note("timeout", key: "flow-2", level: .warning)
            let cleared = limiter.clear(key: "flow-2")
            #expect(cleared.map(\.text) == ["timeout (repeated 1 time in the last 2 s)", "cleared: timeout"])
            #expect(cleared.map(\.level) == [.warning, .notice])
            #expect(limiter.clear(key: "flow-2").isEmpty)
            #expect(limiter.note("timeout", key: "flow-2").map(\.kind) == [.occurrence])
        }

        @Test func keysAreIndependent() {
            let limiter = LogRateLimiter()
            #expect(limiter.note("timeout", key: "flow-1").count == 1)
            #expect(limiter.note("timeout", key: "flow-2").count == 1)
            #expect(limiter.note("timeout", key: "flow-1").isEmpty)
            #expect(limiter.activeKeys == ["flow-1", "flow-2"])
        }

        @Test func aTimerFlushesSummariesForConditionsThatWentQuiet() {
            let clock = StepClock()
            let limiter = LogRateLimiter(now: { clock.now() })
            _ = limiter.note("timeout", key: "flow-2")
            _ = limiter.note("timeout", key: "flow-2")
            _ = limiter.note("timeout", key: "flow-3")
            clock.advance(by: .seconds(59))
            #expect(limiter.dueSummaries().isEmpty)
            clock.advance(by: .seconds(1))
            #expect(limiter.dueSummaries().map(\.text) == ["timeout (repeated 1 time in the last 60 s)"])
            clock.advance(by: .seconds(60))
            #expect(limiter.dueSummaries().isEmpty)
        }

        @Test func aMeterFailingTenTimesASecondForTwoMinutesWritesFourJournalLines() {
            let clock = StepClock()
            let limiter = LogRateLimiter(now: { clock.now() })
            let (logger, capture) = journalLogger()
            for _ in 0..<1200 {
                limiter.log("timeout reading 40001", key: "flow-2", metadata: ["device": "flow-2"], to: logger)
                clock.advance(by: .milliseconds(100))
            }
            limiter.logClear(key: "flow-2", to: logger)
            #expect(capture.all == [
                "<3>timeout reading 40001 device=flow-2\n",
                "<3>timeout reading 40001 (repeated 600 times in the last 60 s) device=flow-2\n",
                "<3>timeout reading 40001 (repeated 599 times in the last 60 s) device=flow-2\n",
                "<5>cleared: timeout reading 40001 device=flow-2\n",
            ])
        }
    }
}
