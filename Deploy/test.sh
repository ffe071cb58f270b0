#!/usr/bin/env bash
# Runs plantgate's whole test suite on a fresh Debian 12 machine (as root): installs what is missing,
# builds, checks the systemd unit, runs every test. Tests start their own mosquitto brokers, Modbus
# servers and socat pseudo-terminals on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

Deploy/install-deps.sh

echo "== build"
swift build 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' || true
swift build >/dev/null   # the tests run the built plantgate and plantgated executables

echo "== systemd unit"
Deploy/check-unit.sh

echo "== sources: every imported module declared in Package.swift; the enabled swift-format rules"
Deploy/check-imports.sh
Deploy/check-format.sh

echo "== tests"
# Print failures and the closing summary lines, not one line per passing test.
swift test 2>&1 | awk '!/^\[[0-9]+\/[0-9]+\]/ && !/^◇ Test .* started/ && !(/^✔ Test / && !/^✔ Test run/) && !/^Test Case .*(started|passed)/'
status="${PIPESTATUS[0]}"
[ "$status" -eq 0 ] || exit "$status"

echo "== fuzz: the config loader and the register decoder, 60 s (libFuzzer; crashes are kept in Fuzz/regressions/)"
Fuzz/run.sh 60

echo "== package: build the .deb, install it, run the installed daemon, purge"
Deploy/package-test.sh
