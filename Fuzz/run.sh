#!/usr/bin/env bash
# A bounded fuzzing run (default 60 s in all): replays every kept crash (Fuzz/regressions/), then fuzzes
# the config loader and the register decoder for half the time each. A new crash is written to
# Fuzz/regressions/<target>/ (commit it with its fix: it is replayed on every run from then on) and
# fails the run. Usage: Fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
[ -x "$out/config-fuzzer" ] && [ -x "$out/decoder-fuzzer" ] || Fuzz/build.sh

# Seeds: the example configs and every broken config of the test suite; the corpus grows across runs.
mkdir -p "$out/corpus-config" "$out/corpus-decoder"
cp Deploy/examples/*.yaml Deploy/plantgate.yaml Tests/PlantModelTests/BrokenConfigs/*.yaml "$out/corpus-config/"
printf '\x07\x00\x00\x00\x00\x00\x43\xce\x60\x00' > "$out/corpus-decoder/float32-412.75"
printf '\x0a\x01\x04\x03\x02\x00\x12\x34\x56\x78' > "$out/corpus-decoder/bits"

status=0
for target in config decoder; do
    kept=($(find "Fuzz/regressions/$target" -type f ! -name '.keep' | sort))
    if [ "${#kept[@]}" -gt 0 ]; then
        echo "== $target: replaying ${#kept[@]} kept crash(es)"
        "$out/$target-fuzzer" -runs=1 "${kept[@]}" 2>&1 | tail -n 3 || status=1
    fi
    echo "== $target: fuzzing for $((seconds / 2)) s"
    dictionary=()
    [ "$target" = config ] && dictionary=(-dict=Fuzz/config.dict)
    if ! "$out/$target-fuzzer" "$out/corpus-$target" "${dictionary[@]}" -max_total_time=$((seconds / 2)) -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="Fuzz/regressions/$target/" \
        > "$out/$target.log" 2>&1; then
        echo "$target-fuzzer found a crash (kept in Fuzz/regressions/$target/):"
        grep -E "ERROR|SUMMARY|Test unit written" "$out/$target.log" | head -n 5
        status=1
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/$target.log" | tr '\n' ' '
    echo
done
exit "$status"
