#!/usr/bin/env python3
"""Prints race.py's JSON (one or more files) as a Markdown table: per case, each gateway's CPU (from schedstat), RSS,
VmHWM, context switches/s, messages/s, missed changes and read-to-message latency over its rounds, and
plantgate's CPU over the peer's in each round.

    python3 Deploy/bench/race-table.py race.json [more.json ...]
"""

import json
import sys


def spread(values, digits=2, unit=""):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    low, high = min(values), max(values)
    text = f"{low:.{digits}f}" if round(low, digits) == round(high, digits) else f"{low:.{digits}f}–{high:.{digits}f}"
    return text + unit


def latency(runs):
    found = [r["latency_read_to_message_ms"] for r in runs if r.get("latency_read_to_message_ms")]
    if not found:
        return "—"
    return f'{spread([x["p50"] for x in found], 1)} / {spread([x["p99"] for x in found], 1)} / {spread([x["max"] for x in found], 0)}'


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: race-table.py RACE.json [...]")
    print("| case | gateway | CPU % | RSS / VmHWM MB | ctx switches/s | msgs/s | missed | read→message p50 / p99 / max ms | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in sys.argv[1:]:
        with open(path) as f:
            report = json.load(f)
        for case, entry in report["cases"].items():
            ratio = spread(entry.get("cpu_ratio_plantgate_to_peer", []), 2, "×")
            for gateway in ("plantgate", "peer"):
                runs = [r for r in entry["runs"] if r["gateway"] == gateway]
                if not runs:
                    continue
                name = gateway if gateway == "plantgate" else (report.get("peer") or "peer")
                print(f'| {case} | {name} | {spread([r.get("cpu_percent_schedstat", r["cpu_percent"]) for r in runs])} '
                      f'| {spread([r["rss_mb"] for r in runs], 1)} / {spread([r["vmhwm_mb"] for r in runs], 1)} '
                      f'| {spread([r["context_switches_per_s"] for r in runs], 0)} '
                      f'| {spread([r["messages_per_s"] for r in runs], 0)} '
                      f'| {sum(r["changes_missed"] for r in runs)} of {sum(r["changes_expected"] for r in runs)} '
                      f'| {latency(runs)} | {ratio if gateway == "plantgate" else ""} |')


if __name__ == "__main__":
    main()
