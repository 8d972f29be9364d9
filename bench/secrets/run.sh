#!/usr/bin/env bash
# Secret-scanning benchmark: Vigil against secretlint (recommended preset) on the same tree, in the same run.
# Generates bench/target/secrets/corpus (a copy of this project plus generated files with planted secrets, about
# MB megabytes), installs secretlint into a scratch directory (never committed), runs both tools, and prints MB/s and
# recall on the planted secrets for each. Usage: bench/secrets/run.sh [MB] (default 500)
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-500}
SEED=${SEED:-20261128}
OUT=bench/target/secrets
SL_DIR=${SECRETLINT_DIR:-$OUT/secretlint-install}
SECRETLINT_VERSION=13.0.6
PRESET_VERSION=13.1.0
mkdir -p "$OUT"

echo "== build" >&2
mvn -q -B -DskipTests -Dcyclonedx.skip=true -pl cli -am package

echo "== corpus (${MB} MB, seed $SEED)" >&2
python3 bench/secrets/gen_corpus.py . "$OUT/corpus" "$MB" "$SEED" >&2
BYTES=$(find "$OUT/corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

echo "== secretlint $SECRETLINT_VERSION + preset-recommend $PRESET_VERSION (npm, into $SL_DIR)" >&2
if [[ ! -x $SL_DIR/node_modules/.bin/secretlint ]] \
   || ! grep -q "\"version\": \"$SECRETLINT_VERSION\"" "$SL_DIR/node_modules/secretlint/package.json"; then
  mkdir -p "$SL_DIR"
  npm install --prefix "$SL_DIR" --no-audit --no-fund --silent \
    "secretlint@$SECRETLINT_VERSION" "@secretlint/secretlint-rule-preset-recommend@$PRESET_VERSION" >&2
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$OUT/secretlintrc.json"

# wall and CPU seconds of a command, into $OUT/<name>.time
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$OUT/$name.time" "$@" || true
}

echo "== vigil" >&2
# through the launcher, as users run it: it uses the class-data sharing archive it makes once per build (made here,
# before the timed run, by a first call); the same scan as a bare 'java -jar' (no archive) is timed too
./vigil --version > /dev/null
timed vigil sh -c "VIGIL_JAVA_OPTS=-Xmx2g ./vigil scan-secrets '$OUT/corpus' --format json --fail-on none \
  > '$OUT/vigil.json' 2> '$OUT/vigil.err'"
timed vigil-jar sh -c "java -Xmx2g -jar cli/target/vigil.jar scan-secrets '$OUT/corpus' --format json --fail-on none \
  > '$OUT/vigil-jar.json' 2> '$OUT/vigil-jar.err'"
echo "== secretlint" >&2
timed secretlint sh -c "'$SL_DIR/node_modules/.bin/secretlint' --secretlintrc '$OUT/secretlintrc.json' \
  --no-gitignore --no-color --format unix '$OUT/corpus/**/*' > '$OUT/secretlint.txt' 2> '$OUT/secretlint.err'"

python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
t = {}
for tool in ('vigil', 'vigil-jar', 'secretlint'):
    wall, user, sys_ = map(float, open(f'{out}/{tool}.time').read().split()[-3:])
    t[tool] = {'wall': wall, 'cpu': round(user + sys_, 2)}
json.dump(t, open(f'{out}/times.json', 'w'))
PY
echo "== result ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
python3 bench/secrets/score.py "$OUT" "$BYTES" | tee "$OUT/result.json"
