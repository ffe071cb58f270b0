#!/usr/bin/env python3
"""plantgated's memory from exec: start-up peak, when it comes, and the steady RSS after it.

Starts the race's register server and a mosquitto (Deploy/bench/race.py), then plantgated on one of the
race's plants with its unit's environment, and reads /proc/PID/status about every millisecond. Prints one
JSON line per run: VmHWM, the time of the highest VmRSS, the mean and highest VmRSS from --steady-from to
the end, and RssAnon / RssFile at the end.

The binary's page cache decides how much every page fault maps (the kernel maps the cached pages around
it), so a run after another run's page-out sees a different start. Each run therefore starts from a
stated cache: --cache warm reads the whole binary first (a restart), --cache cold drops the page cache
(a boot; needs root).

    python3 Deploy/bench/startup-rss.py --plantgated .build-release/release/plantgated --case all-change --runs 3
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import race  # noqa: E402
from race_config import CASES, plantgate_yaml  # noqa: E402
from race_meter import read_status  # noqa: E402

FIELDS = ("VmRSS", "VmHWM", "RssAnon", "RssFile")


def status(pid):
    """The FIELDS of /proc/PID/status in MB; None once the process is gone."""
    try:
        words = read_status(f"/proc/{pid}/status")
    except OSError:
        return None
    return {name: int(words[name]) / 1024 for name in FIELDS}


def prepare_cache(binary, cache):
    if cache == "warm":
        with open(binary, "rb") as f:
            while f.read(1 << 20):
                pass
    else:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")


def run_once(options, directory):
    case = CASES[options.case]
    broker, mqtt_port = race.start_broker(directory)
    server, words = race.start_helper("server", ["--case", options.case, "--out", str(directory / "served.log")], "port")
    daemon = None
    try:
        config = directory / "plantgate.yaml"
        config.write_text(plantgate_yaml(case, mqtt_port, int(words[1]), directory))
        prepare_cache(options.plantgated, options.cache)
        environment = dict(os.environ, LD_PRELOAD="", NOTIFY_SOCKET="", **race.unit_environment())
        start = time.monotonic()
        daemon = subprocess.Popen([options.plantgated, "--config", str(config)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, cwd=directory, env=environment)
        samples = []
        while (elapsed := time.monotonic() - start) < options.seconds:
            values = status(daemon.pid)
            if values is None or daemon.poll() is not None:
                sys.exit(f"startup-rss: plantgated exited after {elapsed:.1f} s (code {daemon.poll()})")
            samples.append((elapsed, values))
            time.sleep(0.001)
    finally:
        for child in (daemon, server, broker):
            if child:
                race.stop(child)
    peak_at, peak = max(samples, key=lambda sample: sample[1]["VmRSS"])
    steady = [values["VmRSS"] for elapsed, values in samples if elapsed >= options.steady_from]
    last = samples[-1][1]
    return {"case": options.case, "cache": options.cache, "vmhwm_mb": round(last["VmHWM"], 2),
            "peak_at_s": round(peak_at, 3), "peak_anon_mb": round(peak["RssAnon"], 2), "peak_file_mb": round(peak["RssFile"], 2),
            "steady_mean_mb": round(sum(steady) / len(steady), 2), "steady_max_mb": round(max(steady), 2),
            "end_anon_mb": round(last["RssAnon"], 2), "end_file_mb": round(last["RssFile"], 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plantgated", default=".build-release/release/plantgated")
    parser.add_argument("--case", default="all-change", choices=list(CASES))
    parser.add_argument("--cache", default="warm", choices=["warm", "cold"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--steady-from", type=float, default=15, help="the steady window starts here (the start-up pages go at 12 s)")
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    options.plantgated = str(Path(options.plantgated).resolve())
    if not os.access(options.plantgated, os.X_OK):
        parser.error(f"--plantgated {options.plantgated}: not an executable (Deploy/build-release.sh plantgated)")
    if options.steady_from >= options.seconds:
        parser.error("--steady-from must be less than --seconds")
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="plantgate-startup-rss-") as directory:
            print(json.dumps(run_once(options, Path(directory))), flush=True)


if __name__ == "__main__":
    main()
