#!/usr/bin/env bash
# Word search under load on loopback: wrk against GET /api/v1/members?q=… (single common words,
# prefixes, two words, a word with a career stage, in turn) on a release
# `kith serve --demo` (SQLite, or PostgreSQL with KITH_LOAD_DATABASE_URL). Installs wrk if missing.
# Usage: benchmarks/search-load.sh [MEMBERS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-100000}
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product kith --scratch-path .build-release >/dev/null
DATA=$(mktemp -d -t kith-search-load.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
STORE=(--data-dir "$DATA")
[ -n "${KITH_LOAD_DATABASE_URL:-}" ] && STORE=(--database-url "$KITH_LOAD_DATABASE_URL")
START=$(date +%s)
.build-release/release/kith serve "${STORE[@]}" --port "$PORT" --demo --demo-members "$MEMBERS" --log-level error >"$DATA/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "Kith listening" "$DATA/log"; do sleep 0.5; done
echo "== ready after $(($(date +%s) - START)) s; resident memory $(($(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024)) MiB"
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"demo@kith.example","password":"kith-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cat >"$DATA/search.lua" <<LUA
local queries = {
  "engineer", "python", "finance", "health", "design", "energy", "teacher", "marketing", "renewable", "research",
  "eng", "pyth", "fin", "heal", "des", "data%20engineer", "software%20engineer", "product%20design",
  "engineer&career_stage=mid_career", "design&career_stage=student", "finance&career_stage=senior",
}
local i = 0
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/members?q=" .. queries[(i % #queries) + 1])
end
LUA
source benchmarks/wait-quiet.sh
wait_quiet "$SERVER"
echo "== GET /api/v1/members?q=… ($MEMBERS members, $CONNECTIONS connections, ${SECONDS_}s)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/search.lua" "$BASE"
echo "== resident memory $(($(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024)) MiB"
