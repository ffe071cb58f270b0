#!/usr/bin/env bash
# Fleet load on one box: N light gateways (distinct site ids, one shared `plantgate sim`) publishing to one
# central mosquitto on loopback. Reports the message rate the central broker receives and each gateway's
# CPU and resident memory over a fixed window. Bounded: N <= 100 sites, window <= 60 s.
#
#   Deploy/fleet/fleet-load.sh [--sites 30] [--seconds 30] [--warmup 15] [--bin .build/debug] [--bridged]
#
# Each gateway polls the simulator's main incomer (4 tags) every second, publishes them raw every poll,
# and runs one line (live metrics, 15 min/hour/day records). By default gateways publish straight to the
# central broker. With --bridged every site gets its own mosquitto from Deploy/fleet/site/ bridged over TLS
# with its own client certificate to a central broker from Deploy/fleet/central/ (the shipped layout).
set -euo pipefail

sites=30 seconds=30 warmup=15 bin=.build/debug bridged=false
fleet_dir=$(cd "$(dirname "$0")" && pwd)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bridged) bridged=true; shift ;;
    --sites) sites=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "fleet-load.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
(( sites >= 1 && sites <= 100 )) || { echo "fleet-load.sh: --sites must be 1..100" >&2; exit 2; }
(( seconds >= 5 && seconds <= 60 )) || { echo "fleet-load.sh: --seconds must be 5..60" >&2; exit 2; }
for tool in "$bin/plantgated" "$bin/plantgate" /usr/sbin/mosquitto /usr/bin/mosquitto_sub; do
  [[ -x $tool ]] || { echo "fleet-load.sh: $tool missing (swift build; apt-get install mosquitto mosquitto-clients)" >&2; exit 69; }
done

work=$(mktemp -d /tmp/plantgate-fleet-load.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

broker_port=$(free_port)
run_as_root() { [[ $(id -u) == 0 ]] && echo "user root" || true; }
subscribe_tls=()
if $bridged; then
  # A throwaway fleet CA: the central broker's certificate, one per site (CN = site id), the control room's.
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$work/ca.key" -out "$work/ca.crt" -days 1 -subj "/CN=fleet-load CA" 2>/dev/null
  issue() {  # NAME CN [extfile]
    openssl req "${ec[@]}" -keyout "$work/$1.key" -out "$work/$1.csr" -subj "/CN=$2" 2>/dev/null
    openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -out "$work/$1.crt" -days 1 ${3:+-extfile "$3"} 2>/dev/null
  }
  echo "subjectAltName=IP:127.0.0.1,DNS:localhost" > "$work/server.ext"
  issue central localhost "$work/server.ext"
  issue control-room control-room
  sed -e "s|@PORT@|$broker_port 127.0.0.1|; s|@CA_FILE@|$work/ca.crt|; s|@CERT_FILE@|$work/central.crt|; s|@KEY_FILE@|$work/central.key|" \
      -e "s|@ACL_FILE@|$fleet_dir/central/plantgate-central.acl|" "$fleet_dir/central/plantgate-central.conf.in" > "$work/central.conf"
  mkdir -p "$work/central"; echo "persistence_location $work/central/" >> "$work/central.conf"
  subscribe_tls=(--cafile "$work/ca.crt" --cert "$work/control-room.crt" --key "$work/control-room.key")
else
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$broker_port" > "$work/central.conf"
fi
run_as_root >> "$work/central.conf"
/usr/sbin/mosquitto -c "$work/central.conf" > "$work/central.log" 2>&1 & broker_pid=$!; pids+=("$broker_pid")
wait_port "$broker_port" || { echo "central mosquitto did not start: $(cat "$work/central.log")" >&2; exit 69; }

sim_port=$(free_port)
"$bin/plantgate" sim lithium-hydroxide --listen "127.0.0.1:$sim_port" > "$work/sim.log" 2>&1 & pids+=($!)
wait_port "$sim_port" || { echo "simulator did not start: $(cat "$work/sim.log")" >&2; exit 69; }

gateway_pids=() site_broker_pids=()
for i in $(seq -w 1 "$sites"); do
  dir="$work/site-$i"; mkdir -p "$dir"
  gateway_port=$broker_port
  if $bridged; then
    gateway_port=$(free_port)
    issue "site-$i" "site-$i"
    { sed -e "s|^listener 1883 |listener $gateway_port |" "$fleet_dir/site/plantgate-site.conf"
      echo "persistence_location $dir/"; run_as_root
      sed -e "s|@SITE@|site-$i|g; s|@PREFIX@|plantgate|g; s|@CENTRAL@|127.0.0.1:$broker_port|; s|@CA_FILE@|$work/ca.crt|" \
          -e "s|@CERT_FILE@|$work/site-$i.crt|; s|@KEY_FILE@|$work/site-$i.key|" "$fleet_dir/site/plantgate-bridge.conf.in"
    } > "$dir/mosquitto.conf"
    /usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 & site_broker_pids+=($!); pids+=($!)
    wait_port "$gateway_port" || { echo "site broker $i did not start: $(cat "$dir/mosquitto.log")" >&2; exit 69; }
  fi
  cat > "$dir/plantgate.yaml" <<YAML
site: {id: site-$i, time_zone: UTC}
mqtt: {host: 127.0.0.1, port: $gateway_port, client_id: plantgate-site-$i, publish: {raw: every_poll, raw_qos: 0}}
buses:
  - {id: mcc, tcp: {host: 127.0.0.1, port: $sim_port}, response_timeout: 500ms}
devices:
  - {id: pm-main, bus: mcc, unit: 1, interval: 1s, profile: schneider-pm5xxx, only: [energy_import, power_total, reactive_import, energy_reset_time]}
lines:
  - id: l1
    name: Line 1
    product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
    inputs:
      - {tag: pm-main/energy_import, role: electricity_import}
      - {tag: pm-main/power_total, role: active_power}
factors:
  grid: {id: grid, kgco2e_per_kwh: 0.8, source: fleet-load, vintage: 2024}
state_dir: $dir/state
control_socket: $dir/control.sock
log_level: warning
YAML
  "$bin/plantgated" --config "$dir/plantgate.yaml" > "$dir/plantgated.log" 2>&1 & gateway_pids+=($!); pids+=($!)
done

echo "fleet-load: $sites gateways, central broker 127.0.0.1:$broker_port; warming up ${warmup} s" >&2
sleep "$warmup"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A before
for pid in "${gateway_pids[@]}" "${site_broker_pids[@]}" "$broker_pid"; do before[$pid]=$(cpu_ticks "$pid"); done
# Every message the central broker routes under plantgate/ reaches this subscriber once (-R: not the retained backlog).
timeout "$seconds" /usr/bin/mosquitto_sub "${subscribe_tls[@]}" -h 127.0.0.1 -p "$broker_port" -t 'plantgate/#' -q 0 -R > "$work/received" 2>/dev/null || true
messages=$(wc -l < "$work/received")

alive=0; cpu_sum=0; rss_sum=0; cpu_max=0; rss_max=0; anon_sum=0; per_gateway=""
for index in "${!gateway_pids[@]}"; do
  pid=${gateway_pids[$index]}
  [[ -d /proc/$pid ]] || continue
  alive=$((alive + 1))
  cpu=$(awk -v a="${before[$pid]}" -v b="$(cpu_ticks "$pid")" -v t="$ticks" -v s="$seconds" 'BEGIN{printf "%.2f", (b-a)/t/s*100}')
  rss=$(awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$pid/status")
  anon=$(awk '/RssAnon/{printf "%.1f", $2/1024}' "/proc/$pid/status")
  anon_sum=$(awk -v a="$anon_sum" -v b="$anon" 'BEGIN{print a+b}')
  per_gateway+="${per_gateway:+, }{\"site\": \"site-$(printf '%0*d' ${#sites} $((index + 1)))\", \"cpu_percent\": $cpu, \"rss_mb\": $rss, \"rss_anon_mb\": $anon}"
  cpu_sum=$(awk -v a="$cpu_sum" -v b="$cpu" 'BEGIN{print a+b}'); rss_sum=$(awk -v a="$rss_sum" -v b="$rss" 'BEGIN{print a+b}')
  cpu_max=$(awk -v a="$cpu_max" -v b="$cpu" 'BEGIN{print (b>a)?b:a}'); rss_max=$(awk -v a="$rss_max" -v b="$rss" 'BEGIN{print (b>a)?b:a}')
done
broker_cpu=$(awk -v a="${before[$broker_pid]}" -v b="$(cpu_ticks "$broker_pid")" -v t="$ticks" -v s="$seconds" 'BEGIN{printf "%.2f", (b-a)/t/s*100}')
broker_rss=$(awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$broker_pid/status")
rate=$(awk -v m="$messages" -v s="$seconds" 'BEGIN{printf "%.1f", m/s}')
per_site=$(awk -v r="$rate" -v n="$sites" 'BEGIN{printf "%.2f", r/n}')
cpu_mean=$(awk -v a="$cpu_sum" -v n="$alive" 'BEGIN{printf "%.2f", (n?a/n:0)}')
rss_mean=$(awk -v a="$rss_sum" -v n="$alive" 'BEGIN{printf "%.1f", (n?a/n:0)}')
anon_mean=$(awk -v a="$anon_sum" -v n="$alive" 'BEGIN{printf "%.1f", (n?a/n:0)}')
site_cpu=0 site_rss=0
for pid in "${site_broker_pids[@]}"; do
  site_cpu=$(awk -v s="$site_cpu" -v a="${before[$pid]}" -v b="$(cpu_ticks "$pid")" -v t="$ticks" -v w="$seconds" 'BEGIN{print s + (b-a)/t/w*100}')
  site_rss=$(awk -v s="$site_rss" -v r="$(awk '/VmRSS/{print $2/1024}' "/proc/$pid/status")" 'BEGIN{print s + r}')
done
site_n=${#site_broker_pids[@]}
site_cpu_mean=$(awk -v a="$site_cpu" -v n="$site_n" 'BEGIN{printf "%.2f", (n?a/n:0)}')
site_rss_mean=$(awk -v a="$site_rss" -v n="$site_n" 'BEGIN{printf "%.1f", (n?a/n:0)}')

cat <<REPORT
{"sites": $sites, "bridged": $bridged, "gateways_alive": $alive, "window_s": $seconds, "cores": $(nproc),
 "central_msgs_per_s": $rate, "msgs_per_s_per_site": $per_site,
 "gateway_cpu_percent_mean": $cpu_mean, "gateway_cpu_percent_max": $cpu_max,
 "gateway_rss_mb_mean": $rss_mean, "gateway_rss_mb_max": $rss_max, "gateway_rss_anon_mb_mean": $anon_mean,
 "site_broker_cpu_percent_mean": $site_cpu_mean, "site_broker_rss_mb_mean": $site_rss_mean,
 "broker_cpu_percent": $broker_cpu, "broker_rss_mb": $broker_rss,
 "gateways": [$per_gateway]}
REPORT
(( alive == sites )) || { echo "fleet-load: only $alive of $sites gateways survived; logs in $work kept" >&2; trap - EXIT; exit 1; }
