#!/usr/bin/env python3
"""Race plantgated against another Modbus-to-MQTT gateway on the same register server, broker and subscriber.

Each run starts ONE Modbus TCP register server (this script, in a child process), ONE mosquitto on a free
loopback port and ONE subscriber (this script again) that timestamps every arrival; then one gateway. The
gateways take turns (ABBA over the rounds); plantgated runs with its unit's Environment= (malloc settings,
as in the field; --no-unit-environment leaves them out). Each run reports the gateway's CPU (utime + stime from
/proc), RSS and VmHWM, context switches, messages/s, missed changes and path latency. JSON goes to stdout
(and --json FILE). Python 3 standard library only, plus mosquitto.

    python3 Deploy/bench/race.py --plantgated .build-release/release/plantgated \
        --peer "/opt/peer/modmqttd --config={{config}}" --peer-config peer.template.yaml \
        --cases idle,all-change --seconds 30 --rounds 2 --json race.json

The peer's config is a template of the user's (see docs/performance.md): {{mqtt_port}}, {{modbus_port}},
{{interval_ms}}, {{config_dir}}... and {{#unit}} / {{#block}} / {{#register}} sections, repeated per
device, per 125-register block and per register. Its topics must let --peer-topic-regex find the unit and
the address (named groups `unit` and `address`, default: ".../u<unit>/r<address>").
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from race_analysis import analyse  # noqa: E402
from race_config import CASES, expand_template, plantgate_yaml, template_values  # noqa: E402
from race_meter import ProcessMeter  # noqa: E402

HERE = Path(__file__).resolve()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(directory, settings=()):
    port = free_port()
    conf = directory / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\n"
                    "persistence false\nlog_type error\n" + "".join(f"{line}\n" for line in settings))
    broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, broker, "mosquitto")
    return broker, port


def wait_for_port(port, process, what, timeout=10):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"race: {what} exited at start (code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"race: {what} does not listen on 127.0.0.1:{port} after {timeout} s")


def start_helper(kind, args, ready_word):
    """Starts this directory's server or subscriber and waits for its first line ("<ready_word> ...")."""
    script = HERE.parent / f"race_{kind}.py"
    process = subprocess.Popen([sys.executable, str(script)] + args, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().split()
    if not line or line[0] != ready_word:
        sys.exit(f"race: the {kind} did not start (said {line!r})")
    return process, line


def stop(process, timeout=10):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_profiler(template, pid, out):
    """Attaches a profiler to the gateway for the measured window: --profile "strace -c -f -o {out} -p {pid}",
    "perf stat -p {pid} -o {out}"...; it gets SIGINT at the window's end, and what it wrote to {out} (or
    to its own stdout/stderr) goes into the run's JSON."""
    command = template.replace("{pid}", str(pid)).replace("{out}", str(out))
    log = open(out.with_suffix(".stderr"), "wb")
    return subprocess.Popen(command.split(), stdout=log, stderr=subprocess.STDOUT)


def run_once(gateway, case_name, options, directory):
    case = CASES[case_name]
    run_dir = Path(tempfile.mkdtemp(prefix=f"{gateway}-{case_name}-", dir=directory))
    children = []
    try:
        return measure(gateway, case_name, case, options, run_dir, children)
    finally:
        for child in reversed(children):
            stop(child)


def unit_environment():
    """The Environment= of the shipped unit (systemd/plantgated.service): how plantgated runs in the field."""
    values = {}
    for line in (HERE.parents[2] / "systemd" / "plantgated.service").read_text().splitlines():
        if line.startswith("Environment="):
            for word in line[len("Environment="):].split():
                name, _, value = word.partition("=")
                values[name] = value
    return values


def measure(gateway, case_name, case, options, run_dir, children):
    broker, mqtt_port = start_broker(run_dir, options.broker_setting)
    children.append(broker)
    served = run_dir / "served.log"
    server, words = start_helper("server", ["--case", case_name, "--out", str(served)], "port")
    children.append(server)
    modbus_port = int(words[1])
    arrivals = run_dir / "arrivals.log"
    subscriber, _ = start_helper("subscriber", ["--port", str(mqtt_port), "--out", str(arrivals)], "subscribed")
    children.append(subscriber)
    values = template_values(case, mqtt_port, modbus_port, run_dir)
    if gateway == "plantgate":
        config = run_dir / "plantgate.yaml"
        config.write_text(plantgate_yaml(case, mqtt_port, modbus_port, run_dir))
        command = [str(Path(options.plantgated).resolve()), "--config", str(config)]
        topic_regex, value_regex = r"/devices/u(?P<unit>\d+)/r(?P<address>\d+)$", r'"v":(-?\d+)'
    else:
        config = run_dir / "peer-config"
        config.write_text(expand_template(Path(options.peer_config).read_text(), case, values))
        values["config"] = str(config)
        command = expand_template(options.peer, case, values).split()
        topic_regex, value_regex = options.peer_topic_regex, options.peer_value_regex
    log = open(run_dir / "gateway.log", "wb")
    environment = dict(os.environ, LD_PRELOAD="", NOTIFY_SOCKET="")
    if gateway == "plantgate":
        environment.update(options.plantgate_environment)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=run_dir, env=environment)
    children.append(process)
    meter = ProcessMeter(process.pid)
    try:
        time.sleep(options.warmup)
        if process.poll() is not None:
            sys.exit(f"race: {gateway} exited during warm-up; see {run_dir / 'gateway.log'}")
        profiler = start_profiler(options.profile, process.pid, run_dir / "profile.txt") if options.profile else None
        start_ns = time.monotonic_ns()
        meter.begin()
        while time.monotonic_ns() - start_ns < options.seconds * 1e9:
            time.sleep(1)
            meter.sample()
        end_ns = time.monotonic_ns()
        measured = meter.end((end_ns - start_ns) / 1e9)
        if profiler:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(30)
            texts = [path.read_text(errors="replace") for path in (run_dir / "profile.txt", run_dir / "profile.stderr") if path.exists()]
            measured["profile"] = "\n".join(texts)
    finally:
        # The gateway first, then the subscriber and server (which write their logs on SIGTERM).
        for child in reversed(children):
            stop(child)
        log.close()
    figures = analyse(case, served, arrivals, start_ns, end_ns, topic_regex, value_regex)
    result = {"gateway": gateway, "case": case_name, "seconds": round((end_ns - start_ns) / 1e9, 2)}
    result.update(measured)
    result.update(figures)
    requests = figures["requests_per_s"]
    result["context_switches_per_request"] = round(measured["context_switches_per_s"] / requests, 2) if requests else None
    if not options.keep:
        for path in run_dir.iterdir():
            path.unlink()
        run_dir.rmdir()
    return result


def summary(runs):
    """Per case: plantgate's CPU over the peer's, round by round (a ratio within one interleaved pair)."""
    by_round = {}
    for run in runs:
        by_round.setdefault(run["round"], {})[run["gateway"]] = run
    key = "cpu_percent_schedstat"
    ratios = [r["plantgate"][key] / r["peer"][key]
              for r in by_round.values() if "peer" in r and "plantgate" in r and r["peer"][key] > 0]
    return {"cpu_ratio_plantgate_to_peer": [round(x, 2) for x in ratios]}


def main():
    # A SIGTERM (timeout, Ctrl-C from a supervisor) still stops the run's children.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("race: terminated"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plantgated", default=".build-release/release/plantgated")
    parser.add_argument("--peer", help="the peer's command line, with {{config}} and other placeholders")
    parser.add_argument("--peer-config", help="the peer's config template")
    parser.add_argument("--peer-name", default="peer", help="what the report calls the peer (e.g. its git describe)")
    parser.add_argument("--peer-topic-regex", default=r"u(?P<unit>\d+)/r(?P<address>\d+)(/state)?$")
    parser.add_argument("--peer-value-regex", default=r"^(-?\d+)$")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true", help="keep each run's configs and logs")
    parser.add_argument("--no-unit-environment", action="store_true",
                        help="run plantgated without its unit's Environment= (malloc settings)")
    parser.add_argument("--broker-setting", action="append", default=[],
                        help='an extra mosquitto.conf line for every run, e.g. "set_tcp_nodelay true" (repeatable)')
    parser.add_argument("--profile", help='a profiler attached for the window, e.g. "strace -c -f -o {out} -p {pid}"')
    options = parser.parse_args()
    cases = options.cases.split(",")
    for case in cases:
        if case not in CASES:
            parser.error(f"--cases: unknown case '{case}'; expected one of {', '.join(CASES)}")
    if bool(options.peer) != bool(options.peer_config):
        parser.error("--peer and --peer-config go together")
    if not os.access(options.plantgated, os.X_OK):
        parser.error(f"--plantgated {options.plantgated}: not an executable (build it as it ships: Deploy/build-release.sh plantgated)")
    options.plantgate_environment = {} if options.no_unit_environment else unit_environment()
    gateways = ["plantgate"] + (["peer"] if options.peer else [])
    directory = Path(tempfile.mkdtemp(prefix="plantgate-race-"))
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpu_cores": os.cpu_count(),
              "load_average_at_start": os.getloadavg(), "peer": options.peer_name if options.peer else None,
              "peer_command": options.peer,
              "plantgate_environment": options.plantgate_environment, "seconds": options.seconds, "warmup": options.warmup, "cases": {}}
    for case in cases:
        runs = []
        for round_number in range(options.rounds):
            order = gateways if round_number % 2 == 0 else list(reversed(gateways))
            for gateway in order:
                print(f"[race] {case} round {round_number + 1}: {gateway}", file=sys.stderr)
                run = run_once(gateway, case, options, directory)
                run["round"] = round_number + 1
                runs.append(run)
        report["cases"][case] = {"definition": CASES[case], "runs": runs, **summary(runs)}
        if options.json:
            Path(options.json).write_text(json.dumps(report, indent=2) + "\n")
    if not options.keep:
        directory.rmdir()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
