#!/usr/bin/env bash
# Detection pipeline benchmark: events/s on ONE core for the full `vigil detect` pipeline (read, normalize, every
# detector, incident tracking) against an inflate-and-parse baseline measured in the same run, and the peak heap
# of the pipeline under -Xmx1g. Prints the figures; docs/BENCHMARKS.md ("Detection pipeline") records them.
#
#   bench/detect-pipeline.sh [BACKGROUND_EVENTS] [DATA_DIR]      (default: 10000000, /tmp/vigil-bench-<N>)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
data=${2:-/tmp/vigil-bench-$n}
if [[ ! -f $data/truth.json ]]; then
  echo "simulating $n background events into $data (once) ..." >&2
  ./vigil simulate ec-breach --out "$data" --seed 7 --background-events "$n" --days 30 --no-mirror --compression 1 -q >/dev/null
fi
mvn -q -B -pl bench -am package -DskipTests -Dcyclonedx.skip=true
jar=bench/target/benchmarks.jar
events=$(jq .event_count "$data/truth.json")
bytes=$(du -sb "$data" | cut -f1)
echo "input: $data: $events events, $bytes bytes on disk (gzipped CloudTrail, S3 layout)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)"
find "$data" -name '*.gz' -exec cat {} + >/dev/null   # warm the page cache for both runs
one_core=(taskset -c 0 java -Xmx1g -XX:ActiveProcessorCount=1)
base=$("${one_core[@]}" -cp "$jar" dev.vigil.bench.DetectPipelineBench baseline "$data")
echo "$base"
pipe=$("${one_core[@]}" -Xlog:gc:file="$data.gc.log" -cp "$jar" dev.vigil.bench.DetectPipelineBench pipeline "$data")
echo "$pipe"
rate() { sed -E 's/.*events_per_s=([0-9]+).*/\1/' <<<"$1"; }
cpurate() { sed -E 's/.*events_per_cpu_s=([0-9]+).*/\1/' <<<"$1"; }
peak=$(sed -E 's/.*peak_heap_bytes=([0-9]+).*/\1/' <<<"$pipe")
awk -v b="$(rate "$base")" -v p="$(rate "$pipe")" -v bc="$(cpurate "$base")" -v pc="$(cpurate "$pipe")" -v h="$peak" 'BEGIN {
  printf "ratio pipeline/baseline: %.2fx (goal >= 0.5x)\n", p / b;
  printf "ratio in CPU time of the main thread: %.2fx\n", pc / bc;
  printf "peak heap (sum of heap pool peaks, an upper bound): %.0f MiB under -Xmx1g (goal < 1024 MiB)\n", h / 1048576 }'
echo "max heap after GC (GC log $data.gc.log): $(grep -oE '[0-9]+M->[0-9]+M' "$data.gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1) MiB"
