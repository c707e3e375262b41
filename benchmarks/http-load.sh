#!/usr/bin/env bash
# HTTP round trips under load on loopback: wrk against GET /api/v1/members/{handle}/relationship
# and GET /api/v1/suggestions on a release `kith serve --demo` (SQLite). Installs wrk if missing.
# Usage: [KITH_BIN=path/to/kith] benchmarks/http-load.sh [MEMBERS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-2000}
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
source benchmarks/demo-server.sh
start_demo_server load "$MEMBERS"
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
