#!/usr/bin/env bash
# Builds the .deb, then installs and exercises it (Deploy/test-deb.sh): `plantgate check` on the installed
# config, the installed daemon against the simulator and a broker under a test NOTIFY_SOCKET (READY=1,
# WATCHDOG=1, STOPPING=1 on SIGTERM), then purge. Starts and stops its own simulator and broker.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

Deploy/build-deb.sh
deb="$(ls -t plantgate_*_"$(dpkg --print-architecture)".deb | head -n 1)"
bin="$(swift build --show-bin-path)"
swift build --product plantgate >/dev/null

work="$(mktemp -d /tmp/plantgate-package.XXXXXX)"
chmod 0755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
broker_port="$(free_port)"
sim_port="$(free_port)"
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$broker_port" >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
"$bin/plantgate" sim --scenario lithium-hydroxide --listen "127.0.0.1:$sim_port" >"$work/sim.log" 2>&1 &
pids+=($!)

# The shipped default config, pointed at this run's ports; state where the package's user may write.
sed -e "s/port: 1883/port: $broker_port/" -e "s/port: 1502/port: $sim_port/" -e "s/port: 1503/port: $((sim_port + 1))/" \
    -e "s#control_socket: .*#control_socket: $work/control.sock#" \
    Deploy/plantgate.yaml >"$work/plantgate.yaml"
chmod 0644 "$work/plantgate.yaml"
# test-deb.sh checks that the ports listen before it starts the daemon.
for _ in $(seq 50); do
  python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$sim_port)))" && break
  sleep 0.1
done

Deploy/test-deb.sh --sim-port "$sim_port" --mqtt-port "$broker_port" --config "$work/plantgate.yaml" "$deb"
