#!/usr/bin/env bash
# Checks the shipped systemd unit offline, for CI and for hosts where systemd is not PID 1:
#   1. no inline comments (systemd would read "yes  # why" as the value),
#   2. `systemd-analyze verify` prints nothing and exits 0 (unknown keys only warn, so output fails too),
#   3. `systemd-analyze security --offline=true` exposure is at or below the threshold,
# for the serial-capable unit, the unit plus the TCP-only drop-in, and the unit plus the real-time
# drop-in (which trades 0.2 of exposure for SCHED_FIFO bus threads).
#
# Usage: Deploy/check-unit.sh [--threshold N] [--tcp-threshold N] [--realtime-threshold N]
#   N is exposure x 10, as systemd-analyze takes it: 15 means "exposure at most 1.5".
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
unit="$repo/systemd/plantgated.service"
dropin="$repo/systemd/tcp-only.conf"
realtime="$repo/systemd/realtime.conf"
threshold=15
tcp_threshold=10
realtime_threshold=16

while [ $# -gt 0 ]; do
    case "$1" in
        --threshold) threshold=$2; shift 2 ;;
        --tcp-threshold) tcp_threshold=$2; shift 2 ;;
        --realtime-threshold) realtime_threshold=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "check-unit: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
done

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "check-unit: systemd-analyze not found; install it with: apt-get install -y systemd" >&2
    exit 69
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# verify fails when ExecStart= names a missing binary, so point it at a stub in the temp dir
# (arguments kept). The real unit file is never modified.
mkdir -p "$work/bin"
printf '#!/bin/sh\nexit 0\n' > "$work/bin/plantgated"
chmod 0755 "$work/bin/plantgated"
sed "s#^ExecStart=/usr/bin/plantgated#ExecStart=$work/bin/plantgated#" "$unit" > "$work/plantgated.service"
# A drop-in's [Service] lines apply after the unit's, exactly as when appended to the unit.
cat "$work/plantgated.service" "$dropin" > "$work/plantgated-tcp-only.service"
cat "$work/plantgated.service" "$realtime" > "$work/plantgated-realtime.service"

inline=$(grep -nE '^[^#;[:space:]][^#]*[[:space:]]#' "$unit" "$dropin" "$realtime" || true)
if [ -n "$inline" ]; then
    echo "FAIL inline comment (systemd makes it part of the value; move it to its own line):" >&2
    echo "$inline" >&2
    failures=$((failures + 1))
fi

check() {
    local name=$1 file=$2 limit=$3 output rc exposure
    rc=0
    output=$(cd "$work" && systemd-analyze verify "$file" 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$output" ]; then
        echo "FAIL $name: systemd-analyze verify (rc $rc):" >&2
        echo "$output" >&2
        failures=$((failures + 1))
    else
        echo "ok   $name: systemd-analyze verify clean"
    fi

    rc=0
    output=$(cd "$work" && systemd-analyze security --offline=true --threshold="$limit" "$file" 2>&1) || rc=$?
    exposure=$(printf '%s\n' "$output" | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -z "$exposure" ]; then
        echo "FAIL $name: no exposure in systemd-analyze security output (rc $rc):" >&2
        echo "$output" >&2
        failures=$((failures + 1))
    elif [ "$rc" -ne 0 ]; then
        echo "FAIL $name: exposure $exposure is above $(awk "BEGIN{print $limit/10}"); still flagged:" >&2
        printf '%s\n' "$output" | grep '✗' >&2 || true
        failures=$((failures + 1))
    else
        echo "ok   $name: exposure $exposure (limit $(awk "BEGIN{print $limit/10}"))"
    fi
}

check "plantgated.service" "$work/plantgated.service" "$threshold"
check "plantgated.service + tcp-only.conf" "$work/plantgated-tcp-only.service" "$tcp_threshold"
check "plantgated.service + realtime.conf" "$work/plantgated-realtime.service" "$realtime_threshold"

if [ "$failures" -gt 0 ]; then
    echo "check-unit: $failures check(s) failed" >&2
    exit 1
fi
echo "check-unit: all checks passed"
