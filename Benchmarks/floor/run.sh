#!/usr/bin/env bash
# Django OAuth Toolkit, the floor (README.md here) and Rotor, each doing client_credentials with client_secret_basic,
# interleaved in one run with the same wrk load and request as scripts/bench-oauth's `machine` scenario.
#
#   Benchmarks/floor/run.sh            # REPS=3 D=10 by default; ROTOR_BIN=… to skip Rotor's release build
#
# Prints one line per repetition: each side's grants per second and errors, and the ratios that matter.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPS=${REPS:-3}; D=${D:-10}
WORK=$(mktemp -d /tmp/rotor-floor.XXXXXX)
FLOOR_PID=""; ROTOR_PID=""
cleanup() {
  [ -n "$FLOOR_PID" ] && kill "$FLOOR_PID" 2>/dev/null || true
  [ -n "$ROTOR_PID" ] && kill "$ROTOR_PID" 2>/dev/null || true
  [ -x "$WORK/dot/run.sh" ] && "$WORK/dot/run.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

swift build -c release --package-path "$ROOT/Benchmarks/floor" --scratch-path "$ROOT/.build-floor" >&2
if [ -z "${ROTOR_BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --product rotor --scratch-path .build-release >&2)
  ROTOR_BIN=$ROOT/.build-release/release/rotor
fi

SECRET=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
cp -r "$ROOT/Benchmarks/peers/dot" "$WORK/dot"
"$WORK/dot/setup.sh" "$SECRET" >/dev/null 2>&1
DOT_URL="http://127.0.0.1:$("$WORK/dot/run.sh" start)"

PORT=40701 "$ROOT/.build-floor/release/floor" > "$WORK/floor.out" 2>&1 & FLOOR_PID=$!
export ROTOR_DATABASE_URL="sqlite://$WORK/rotor.sqlite" ROTOR_ISSUER=http://rotor-bench.local ROTOR_LOG_LEVEL=warning
export ROTOR_PRUNE_INTERVAL=0
ROTOR_PORT=40703 "$ROTOR_BIN" serve > "$WORK/rotor.out" 2>&1 & ROTOR_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/rotor.out" 2>/dev/null && break; sleep 0.1; done
MACHINE_SECRET=$("$ROTOR_BIN" clients create --client-id machine --grant-type client_credentials --scope reports.read \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
sleep 1

basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }
run() {  # url path authorization -> "rps non2xx"
  TOKEN_PATH=$2 TOKEN_AUTH=$3 timeout $((D + 60)) wrk -t2 -c32 -d"${D}s" --timeout 5s \
    -s "$ROOT/Benchmarks/lua/oauth_static.lua" "$1" \
    | sed -n 's/^WRKJSON //p' | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["rps"], d["non2xx"])'
}
echo "$(date -u +%Y%m%dT%H%M%SZ), $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $("$ROOT/scripts/machine-cpu"), $(uname -r)"
for r in $(seq 1 "$REPS"); do
  dot=$(run "$DOT_URL" /o/token/ "$(basic machine "$SECRET")")
  floor=$(run http://127.0.0.1:40701 /oauth/token "$(basic machine unused)")
  rotor=$(run http://127.0.0.1:40703 /oauth/token "$(basic machine "$MACHINE_SECRET")")
  echo "DOT $dot | floor $floor | rotor $rotor" | awk '{printf "%s  floor/DOT %.1fx  rotor/DOT %.1fx  rotor/floor %.2f\n", $0, $6/$2, $10/$2, $10/$6}'
done
