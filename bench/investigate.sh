#!/usr/bin/env bash
# Investigation benchmark: wall time of `vigil investigate` over a 1,000,000-event simulated breach plus its
# repository, run logs, secret and tenant maps and the mirror of the objects read, on this machine's cores.
# Prints one line per run; docs/BENCHMARKS.md ("Investigation") records the figures.
#
#   bench/investigate.sh [RUNS] [DATA_DIR]          (default: 3, /tmp/vigil-bench-investigate-1m)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
data=${2:-/tmp/vigil-bench-investigate-1m}
if [[ ! -f $data/truth.json ]]; then
  echo "simulating 1,000,000 events into $data (once) ..." >&2
  ./vigil simulate ec-breach --out "$data" --seed 1 --background-events 942875 --compression 1 -q
fi
./vigil --version >/dev/null   # builds the jar if needed, outside the timing
echo "input: $(jq .event_count "$data/truth.json") events, $(find "$data/mirror" -type f | wc -l) mirrored objects"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load: $(cut -d' ' -f1-3 /proc/loadavg)"
find "$data" -type f -exec cat {} + >/dev/null   # warm the page cache
for i in $(seq 1 "$runs"); do
  rm -rf "$data.case"
  /usr/bin/time -f "run $i: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    java -Xmx4g -jar cli/target/vigil.jar investigate --repo "$data/repo" --run-logs "$data/run-logs" \
      --secret-map "$data/secret-map.json" --logs "$data" --tenants "$data/tenants.json" --mirror "$data/mirror" \
      --out "$data.case" 2>&1 >/dev/null | grep '^run '
done
