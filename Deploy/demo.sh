#!/usr/bin/env bash
# The main job on one box: a local mosquitto, the simulated lithium-hydroxide plant and plantgated,
# with ESG metrics and a few raw tags shown as they arrive over MQTT. Ctrl-C stops everything it started.
#   DEMO_SECONDS=N  stop by itself after N seconds (default: run until Ctrl-C)
#   SCENARIO=hydromet-copper  the other simulated plant
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

scenario="${SCENARIO:-lithium-hydroxide}"
Deploy/install-deps.sh
echo "== building (the first build takes a few minutes)"
swift build --product plantgated >/dev/null
swift build --product plantgate >/dev/null
bin="$(swift build --show-bin-path)"

work="$(mktemp -d /tmp/plantgate-demo.XXXXXX)"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "== stopped; logs are in $work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
broker_port="$(free_port)"
sim_port="$(free_port)"
while [ "$(python3 -c "import socket; s=socket.socket(); print(s.connect_ex(('127.0.0.1',$sim_port+1)))")" = "0" ]; do sim_port="$(free_port)"; done

printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$broker_port" >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)

"$bin/plantgate" sim --scenario "$scenario" --listen "127.0.0.1:$sim_port" --truth "$work/truth.jsonl" >"$work/sim.log" 2>&1 &
pids+=($!)

# The example config describes the simulated plant; point it at this demo's ports and directories.
sed -e "s/port: 1883/port: $broker_port/" \
    -e "s/port: 1502/port: $sim_port/" -e "s/port: 1503/port: $((sim_port + 1))/" \
    -e "s#state_dir: .*#state_dir: $work/state#" -e "s#control_socket: .*#control_socket: $work/control.sock#" \
    "Deploy/examples/$scenario.yaml" >"$work/plantgate.yaml"
"$bin/plantgate" check "$work/plantgate.yaml" >"$work/check.txt"
head -n 12 "$work/check.txt"

"$bin/plantgated" --config "$work/plantgate.yaml" >"$work/plantgated.log" 2>&1 &
pids+=($!)
site="$(sed -n 's/^  id: \([^ ]*\).*/\1/p' "$work/plantgate.yaml" | head -n 1)"

echo "== live over MQTT on 127.0.0.1:$broker_port (status, line metrics, main power meter); Ctrl-C to stop"
echo "   also try: $bin/plantgate status --socket $work/control.sock"
sub=(mosquitto_sub -h 127.0.0.1 -p "$broker_port" -v -t "plantgate/$site/status" -t "plantgate/$site/lines/#"
     -t "plantgate/$site/devices/pm-main/power_total" -t "plantgate/$site/devices/+/health")
if [ -n "${DEMO_SECONDS:-}" ]; then
  timeout "$DEMO_SECONDS" "${sub[@]}" || true
else
  "${sub[@]}"
fi
