#!/usr/bin/env bash
# Installs a plantgate .deb on this host, runs the installed daemon under a fake systemd notification
# socket, then purges the package and checks nothing is left. Run as root on a disposable host/container:
# it refuses to touch an existing plantgate installation.
#
# Usage: Deploy/test-deb.sh [--sim-port N] [--mqtt-port N] [--config PATH] [--skip-daemon] PATH.deb
#   --sim-port N    TCP port of a Modbus simulator on 127.0.0.1 (default 1502)
#   --mqtt-port N   TCP port of an MQTT broker on 127.0.0.1 (default 1883)
#   --config PATH   config the daemon runs with (default: the installed /etc/plantgate/plantgate.yaml);
#                   it must point its devices at 127.0.0.1:SIM_PORT and its broker at 127.0.0.1:MQTT_PORT
#   --skip-daemon   only check install, user, permissions and purge (no simulator or broker needed)
#
# The caller starts the simulator and the broker before, and stops them after, e.g.
#   plantgate sim --port 1502 &   mosquitto -p 1883 &   Deploy/test-deb.sh plantgate_0.1.0_amd64.deb
set -euo pipefail

sim_port=1502
mqtt_port=1883
config=""
skip_daemon=no
deb=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sim-port) sim_port=$2; shift 2 ;;
        --mqtt-port) mqtt_port=$2; shift 2 ;;
        --config) config=$2; shift 2 ;;
        --skip-daemon) skip_daemon=yes; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        -*) echo "test-deb: unknown option '$1' (see --help)" >&2; exit 64 ;;
        *) deb=$1; shift ;;
    esac
done

fail() { echo "FAIL $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

[ -n "$deb" ] || fail "no .deb given (usage: $0 [options] PATH.deb)"
[ -f "$deb" ] || fail "$deb does not exist"
[ "$(id -u)" -eq 0 ] || fail "run as root: dpkg -i and --purge need it"
if dpkg-query -W -f='${Status}' plantgate 2>/dev/null | grep -q 'installed'; then
    fail "plantgate is already installed here; this test purges it, so run it on a disposable host"
fi

work=$(mktemp -d)
daemon_pid=""
listener_pid=""
installed=no
cleanup() {
    # errexit also applies inside traps; a non-zero `wait` must not cut the cleanup short.
    set +e
    if [ -n "$daemon_pid" ]; then kill -KILL "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
    if [ -n "$listener_pid" ]; then kill -TERM "$listener_pid" 2>/dev/null; wait "$listener_pid" 2>/dev/null; fi
    if [ "$installed" = yes ]; then
        echo "test-deb: purging the package after the failure" >&2
        dpkg --purge plantgate >/dev/null 2>&1 || echo "test-deb: dpkg --purge plantgate failed too" >&2
    fi
    rm -rf "$work"
    return 0
}
trap cleanup EXIT

# --- install ---------------------------------------------------------------------------------
dpkg -i "$deb" > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i $deb (missing Depends? try: apt-get install -f)"; }
installed=yes
ok "dpkg -i $(basename "$deb")"
grep -q 'NOT enabled or started' "$work/install.log" || fail "postinst did not print how to enable the service"
for path in /usr/bin/plantgated /usr/bin/plantgate /usr/bin/plantgate-fleet /lib/systemd/system/plantgated.service \
        /usr/lib/sysusers.d/plantgate.conf /etc/plantgate/plantgate.yaml \
        /usr/share/plantgate/systemd/tcp-only.conf /usr/share/plantgate/systemd/realtime.conf; do
    [ -e "$path" ] || fail "$path not installed"
done
ok "binaries, unit, drop-ins, sysusers.d entry and config installed"
/usr/bin/plantgate fleet --help | grep -q 'USAGE: plantgate fleet' || fail "plantgate fleet does not run the installed plantgate-fleet"
if ldd /usr/bin/plantgate | grep -q libmosquitto; then fail "/usr/bin/plantgate links libmosquitto"; fi
ok "plantgate fleet runs plantgate-fleet; plantgate itself links no libmosquitto"
getent passwd plantgate >/dev/null || fail "user plantgate not created"
id -nG plantgate | tr ' ' '\n' | grep -qx dialout || fail "plantgate is not in group dialout (RS-485 access)"
ok "system user plantgate exists, member of dialout"
[ "$(stat -c '%U:%G %a' /etc/plantgate/plantgate.yaml)" = "root:plantgate 640" ] \
    || fail "/etc/plantgate/plantgate.yaml is $(stat -c '%U:%G %a' /etc/plantgate/plantgate.yaml), want root:plantgate 640"
ok "config is root:plantgate 0640"
if ls /etc/systemd/system/*.wants/plantgated.service >/dev/null 2>&1; then
    fail "the package enabled plantgated.service by itself"
fi
ok "service not enabled by the package"
ldd /usr/bin/plantgated 2>/dev/null | grep -q 'not found' && fail "plantgated has unresolved libraries: $(ldd /usr/bin/plantgated | grep 'not found')"
ldd /usr/bin/plantgated 2>/dev/null | grep -q 'libswiftCore' && fail "plantgated links the Swift runtime dynamically; build with --static-swift-stdlib"
ok "plantgated needs no Swift toolchain at run time"

# --- configuration check and daemon run --------------------------------------------------------
if [ "$skip_daemon" = no ]; then
    config=${config:-/etc/plantgate/plantgate.yaml}
    plantgate check "$config" || fail "plantgate check $config"
    ok "plantgate check $config"

    for port in "$sim_port" "$mqtt_port"; do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
            || fail "nothing listens on 127.0.0.1:$port; start the Modbus simulator (--sim-port) and broker (--mqtt-port) first"
    done
    grep -q "$sim_port" "$config" || echo "warn $config does not mention the simulator port $sim_port" >&2
    grep -q "$mqtt_port" "$config" || echo "warn $config does not mention the broker port $mqtt_port" >&2

    # Stand-in for systemd's notification socket: one line per field, prefixed by the datagram number.
    cat > "$work/listener.py" <<'PY'
import socket, sys
name, out, ready = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + name)
open(ready, "w").close()
n = 0
with open(out, "a", buffering=1) as f:
    while True:
        data = s.recv(4096).decode("utf-8", "replace")
        n += 1
        for field in data.split("\n"):
            f.write(f"{n} {field}\n")
PY
    notify_name="plantgate-test-$$"
    python3 "$work/listener.py" "$notify_name" "$work/notify.log" "$work/listener.ready" &
    listener_pid=$!
    wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds
        local deadline=$((SECONDS + $1)) what=$2
        shift 2
        until "$@"; do
            [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $what"
            sleep 0.2
        done
    }
    wait_for 10 "the notify listener" test -e "$work/listener.ready"

    # RuntimeDirectory= would create this under systemd.
    install -d -o plantgate -g plantgate -m 0750 /run/plantgate
    : > "$work/notify.log"
    # Run as the service user, like User=plantgate; setpriv execs, so $! is the daemon's PID.
    NOTIFY_SOCKET="@$notify_name" WATCHDOG_USEC=2000000 \
        setpriv --reuid plantgate --regid plantgate --init-groups \
        /usr/bin/plantgated --config "$config" 2> "$work/daemon.log" &
    daemon_pid=$!

    ready_seen() { grep -qx '[0-9]* READY=1' "$work/notify.log"; }
    watchdog_after_ready() {
        local ready
        ready=$(grep -m1 -x '[0-9]* READY=1' "$work/notify.log" | cut -d' ' -f1)
        [ -n "$ready" ] && awk -v r="$ready" '$2 == "WATCHDOG=1" && $1 > r { found = 1 } END { exit !found }' "$work/notify.log"
    }
    alive_or_fail() { kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log" >&2; fail "plantgated exited early"; }; }
    wait_for 30 "READY=1 from plantgated" sh -c "kill -0 $daemon_pid 2>/dev/null || exit 0; grep -qx '[0-9]* READY=1' '$work/notify.log'"
    alive_or_fail
    ready_seen || fail "no READY=1"
    ok "READY=1 received ($(grep -m1 '^[0-9]* STATUS=' "$work/notify.log" | cut -d' ' -f2- || echo 'no status'))"
    # WATCHDOG_USEC=2 s: pings every second while healthy; allow a few.
    wait_for 10 "WATCHDOG=1 after READY=1" watchdog_after_ready
    alive_or_fail
    ok "WATCHDOG=1 received after READY=1"

    kill -TERM "$daemon_pid"
    deadline=$((SECONDS + 20))
    while kill -0 "$daemon_pid" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "plantgated still running 20 s after SIGTERM (TimeoutStopSec=20s)"
        sleep 0.2
    done
    rc=0
    wait "$daemon_pid" || rc=$?
    daemon_pid=""
    [ "$rc" -eq 0 ] || { cat "$work/daemon.log" >&2; fail "plantgated exited $rc after SIGTERM, want 0"; }
    ok "plantgated exited 0 after SIGTERM"
    wait_for 5 "STOPPING=1" grep -qx '[0-9]* STOPPING=1' "$work/notify.log"
    ok "STOPPING=1 received"
    if grep -qvE '^<[0-7]>' "$work/daemon.log"; then
        echo "warn stderr lines without a <N> priority prefix:" >&2
        grep -vE '^<[0-7]>' "$work/daemon.log" | head -5 >&2
    fi
    kill -TERM "$listener_pid" 2>/dev/null || true
    wait "$listener_pid" 2>/dev/null || true
    listener_pid=""
else
    echo "skip daemon run (--skip-daemon)"
fi

# --- remove, then purge ------------------------------------------------------------------------
dpkg -r plantgate > "$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg -r plantgate"; }
for path in /usr/bin/plantgated /usr/bin/plantgate /lib/systemd/system/plantgated.service; do
    [ ! -e "$path" ] || fail "$path still exists after dpkg -r"
done
for path in /etc/plantgate/plantgate.yaml /var/lib/plantgate; do
    [ -e "$path" ] || fail "$path was deleted by dpkg -r; only --purge may delete it"
done
ok "dpkg -r removed the programs and kept the config and /var/lib/plantgate"
dpkg --purge plantgate > "$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge plantgate"; }
installed=no
ok "dpkg --purge plantgate"
for path in /usr/bin/plantgated /usr/bin/plantgate /lib/systemd/system/plantgated.service \
        /usr/lib/sysusers.d/plantgate.conf /etc/plantgate /var/lib/plantgate /run/plantgate \
        /usr/share/doc/plantgate /usr/share/plantgate; do
    [ ! -e "$path" ] || fail "$path still exists after purge"
done
ok "no plantgate files left (the plantgate user stays, as Debian does for system users)"
echo "test-deb: all checks passed"
