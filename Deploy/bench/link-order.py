#!/usr/bin/env python3
"""Writes Deploy/link-order.txt: plantgated's functions in the order the release link lays them out.

lld places the functions listed in `--symbol-ordering-file` first, in that order (Package.swift). Listing
what the running daemon executes, steady state first and then what only start-up executes, packs each
into few pages: the kernel maps file pages 64 KB at a time around every fault, so scattered code costs
RSS for code that never runs. On the race's 1,000-register plant this took start-up peak RSS from 33.4 to
27.4 MB and steady RSS from 19.7 to 16.4-17.8 MB (docs/performance.md).

Runs plantgated under callgrind twice: on the example lithium-hydroxide plant (the simulator, ESG
metrics, ledger, live metrics) and on the race's all-change plant (1,000 raw tags), dumping once start-up
is over. Needs valgrind and the shipped build (Deploy/build-release.sh); takes about
four minutes. A stale list is harmless: symbols it names that no longer exist are skipped, new ones are
laid out after it. Rerun it when the hot path changes.

    python3 Deploy/bench/link-order.py [--plantgated .build-release/release/plantgated] [--plantgate .build-release/release/plantgate]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import race  # noqa: E402
from race_config import CASES, plantgate_yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def callgrind(binary, config, directory, startup_seconds, steady_seconds):
    """Runs binary under callgrind; returns (functions run during start-up, functions run after it)."""
    out = directory / "callgrind.out"
    daemon = subprocess.Popen(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}",
                               str(binary), "--config", str(config)],
                              stdout=open(directory / "daemon.log", "wb"), stderr=subprocess.STDOUT,
                              env=dict(os.environ, NOTIFY_SOCKET=""))
    try:
        time.sleep(startup_seconds)
        if daemon.poll() is not None:
            sys.exit(f"link-order: plantgated exited under valgrind; see {directory / 'daemon.log'}")
        subprocess.run(["callgrind_control", "--dump=startup", str(daemon.pid)], check=True, stdout=subprocess.DEVNULL)
        time.sleep(steady_seconds)
    finally:
        race.stop(daemon, timeout=120)
    dumps = sorted(directory.glob("callgrind.out.*"))
    if not dumps or not out.exists():
        sys.exit(f"link-order: callgrind wrote no dumps in {directory}")
    return function_names(dumps[0]), function_names(out)


def function_names(dump):
    """Every function a callgrind dump has costs for, in the order it names them."""
    names, seen = [], set()
    for line in open(dump, errors="replace"):
        match = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if match:
            name = re.sub(r"'\d+$", "", match.group(1).strip())  # callgrind's recursion-depth suffix
            if name not in seen:
                seen.add(name)
                names.append(name)
    return names


def example_plant(plantgated, plantgate, directory, startup, steady):
    broker, mqtt_port = race.start_broker(directory)
    sim_port = race.free_port()
    simulator = subprocess.Popen([str(plantgate), "sim", "--scenario", "lithium-hydroxide", "--listen", f"127.0.0.1:{sim_port}"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        race.wait_for_port(sim_port, simulator, "the simulator")
        text = (ROOT / "Deploy/examples/lithium-hydroxide.yaml").read_text()
        text = text.replace("port: 1883", f"port: {mqtt_port}").replace("port: 1502", f"port: {sim_port}")
        text = text.replace("port: 1503", f"port: {sim_port + 1}")
        text = re.sub(r"(?m)^state_dir: .*$", f"state_dir: {directory}/state", text)
        text = re.sub(r"(?m)^control_socket: .*$", f"control_socket: {directory}/control.sock", text)
        config = directory / "plantgate.yaml"
        config.write_text(text)
        return callgrind(plantgated, config, directory, startup, steady)
    finally:
        race.stop(simulator)
        race.stop(broker)


def race_plant(plantgated, directory, startup, steady):
    children = []
    try:
        broker, mqtt_port = race.start_broker(directory)
        children.append(broker)
        server, words = race.start_helper("server", ["--case", "all-change", "--out", os.devnull], "port")
        children.append(server)
        config = directory / "plantgate.yaml"
        config.write_text(plantgate_yaml(CASES["all-change"], mqtt_port, int(words[1]), directory))
        return callgrind(plantgated, config, directory, startup, steady)
    finally:
        for child in reversed(children):
            race.stop(child)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("link-order: terminated"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plantgated", default=str(ROOT / ".build-release/release/plantgated"))
    parser.add_argument("--plantgate", default=str(ROOT / ".build-release/release/plantgate"))
    parser.add_argument("--startup-seconds", type=float, default=40, help="under valgrind, start-up takes 10-20 s")
    parser.add_argument("--steady-seconds", type=float, default=60)
    parser.add_argument("--out", default=str(ROOT / "Deploy/link-order.txt"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plantgate-link-order-") as scratch:
        scratch = Path(scratch)
        # valgrind 3.19 (Debian 12) cannot read the DWARF 5 the toolchain writes: profile a copy without it.
        binary = scratch / "plantgated"
        subprocess.run(["objcopy", "--strip-debug", options.plantgated, str(binary)], check=True)
        defined = set(subprocess.run(["nm", "--defined-only", "--format=just-symbols", str(binary)],
                                     capture_output=True, text=True, check=True).stdout.split())
        runs = []
        for name, run in (("example", lambda d: example_plant(binary, options.plantgate, d, options.startup_seconds, options.steady_seconds)),
                          ("race", lambda d: race_plant(binary, d, options.startup_seconds, options.steady_seconds))):
            directory = scratch / name
            directory.mkdir()
            print(f"link-order: profiling the {name} plant", flush=True)
            runs.append(run(directory))
        steady = [name for _, after in runs for name in after]
        startup = [name for before, _ in runs for name in before]
        order, seen = [], set()
        for name in steady + startup:
            if name in defined and name not in seen:
                seen.add(name)
                order.append(name)
    header = ("# plantgated's functions in link order: steady state first, then start-up only.\n"
              "# Written by Deploy/bench/link-order.py; read by the release link (Package.swift).\n")
    Path(options.out).write_text(header + "\n".join(order) + "\n")
    steady_count = len([n for n in dict.fromkeys(steady) if n in defined])
    print(f"link-order: {len(order)} functions ({steady_count} run in steady state) -> {options.out}")


if __name__ == "__main__":
    main()
