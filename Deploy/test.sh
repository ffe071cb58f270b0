#!/usr/bin/env bash
# Runs plantgate's whole test suite on a fresh Debian 12 machine (as root): installs what is missing,
# builds, checks the systemd unit, runs every test. Tests start their own mosquitto brokers, Modbus
# servers and socat pseudo-terminals on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

Deploy/install-deps.sh

echo "== build"
# One build of everything, tests included: the tests run the built plantgate and plantgated executables.
swift build --build-tests 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }   # a failed build stops here (pipefail)

echo "== systemd unit"
Deploy/check-unit.sh

echo "== sources: every imported module declared in Package.swift; no blocking call in an async function; the enabled swift-format rules"
Deploy/check-imports.sh
Deploy/check-async.sh
Deploy/check-format.sh

# Print failures and the closing summary lines, not one line per passing test.
quiet() { awk '!/^\[[0-9]+\/[0-9]+\]/ && !/^◇ Test .* started/ && !(/^✔ Test / && !/^✔ Test run/) && !/^Test Case .*(started|passed)/'; }

# Suites that measure time (poll deadlines, reply latency, the 10 ms hold of a round's samples, a simulator at full speed, Sparkplug births after a
# reload or a broker failover, how soon a dead meter, a failed broker or a stop is noticed) run after the rest, one
# test at a time: on 2 cores the rest of the suite running beside them would be what they measure, and it holds the
# cooperative threads their waits run on (CI once saw a dead meter's 2 s verdict 1.3 s late that way).
timed='CadenceTests|IsolationTests|TruthWhileServingTests|PlantDayInAMinuteTests|LiveWindowTruthTests|SparkplugDaemonTests|FailoverSparkplugTests'
timed+='|CusumStepTests|DeadMeterTests|DeadMeterDaemonTests|BrokerReturnTests|BrokerFailoverTests|MQTTFailureNamingTests|MQTTKeepaliveTests|FirstDayTests|StopTests|HostileInputTests|ClientIDTakeoverTests'
timed+='|SlowLinkReleaseTests'

echo "== tests"
swift test --skip-build --skip "$timed" 2>&1 | quiet
status="${PIPESTATUS[0]}"
[ "$status" -eq 0 ] || exit "$status"

echo "== tests that measure time, one at a time"
swift test --skip-build --filter "$timed" --no-parallel 2>&1 | quiet
status="${PIPESTATUS[0]}"
[ "$status" -eq 0 ] || exit "$status"

echo "== fuzz: the config loader and the register decoder, 60 s (libFuzzer; crashes are kept in Fuzz/regressions/)"
Fuzz/run.sh 60

echo "== package: build the .deb, install it, run the installed daemon, purge"
Deploy/package-test.sh
