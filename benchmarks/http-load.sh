#!/usr/bin/env bash
# HTTP round trips under load on loopback: wrk against GET /api/v1/members/{handle}/relationship
# and GET /api/v1/suggestions on a release `kith serve --demo` (SQLite). Installs wrk if missing.
# Usage: [KITH_BIN=path/to/kith] benchmarks/http-load.sh [MEMBERS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-2000}
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# KITH_BIN: measure this binary instead of building one (to compare two builds run after run).
KITH=${KITH_BIN:-.build-release/release/kith}
[ -n "${KITH_BIN:-}" ] || swift build -c release --product kith --scratch-path .build-release >/dev/null
DATA=$(mktemp -d -t kith-load.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$KITH" serve --data-dir "$DATA" --port "$PORT" --demo --demo-members "$MEMBERS" --log-level error >"$DATA/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "Kith listening" "$DATA/log"; do sleep 0.5; done
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"demo@kith.example","password":"kith-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -s "$BASE/api/v1/members?limit=100" -H "authorization: Bearer $TOKEN" \
    | python3 -c 'import json,sys; print("\n".join(m["handle"] for m in json.load(sys.stdin)["items"]))' >"$DATA/handles"
cat >"$DATA/relationship.lua" <<LUA
local handles = {}
for line in io.lines("$DATA/handles") do handles[#handles + 1] = line end
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  return wrk.format("GET", "/api/v1/members/" .. handles[math.random(#handles)] .. "/relationship")
end
LUA
source benchmarks/wait-quiet.sh
wait_quiet "$SERVER"
echo "== GET /api/v1/members/{handle}/relationship ($MEMBERS members, $CONNECTIONS connections, ${SECONDS_}s)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/relationship.lua" "$BASE"
echo "== GET /api/v1/suggestions"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/suggestions?limit=20"
