#!/usr/bin/env bash
# `kith serve` on a database already seeded by `KithBench directory --schema public --with-network`
# (a million members, say): how long it takes to start (migrations, graph, word index) and how much
# memory it holds, then wrk on loopback against word search, word search with a facet and facet
# browsing (the three kinds #20 part 3 sets targets for), one after the other.
# Usage: benchmarks/serve-at-scale.sh DATABASE_URL [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
URL=$1
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product kith --scratch-path .build-release >/dev/null
DATA=$(mktemp -d -t kith-scale.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# A member to search as (seeded members have no usable password).
EMAIL="bench-$(date +%s)@kith.example"
echo "benchmark-password-2026" | .build-release/release/kith admin create --database-url "$URL" --email "$EMAIL" \
    --name "Bench Viewer" --handle "bench-$(date +%s)" --password-stdin --bcrypt-cost 4 >/dev/null
START=$(date +%s.%N)
.build-release/release/kith serve --database-url "$URL" --port "$PORT" --log-level error >"$DATA/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "Kith listening" "$DATA/log"; do
    kill -0 $SERVER 2>/dev/null || { cat "$DATA/log"; exit 1; }
    sleep 0.2
done
echo "== listening after $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s; resident memory $(($(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024)) MiB"
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"benchmark-password-2026\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
run() {
    local name=$1 queries=$2
    cat >"$DATA/$name.lua" <<LUA
local queries = { $queries }
local i = 0
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/members?" .. queries[(i % #queries) + 1])
end
LUA
    echo "== $name ($CONNECTIONS connections, ${SECONDS_}s)"
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/$name.lua" "$BASE" | grep -E "Requests/sec|Non-2xx|50%|90%|99%|Socket errors"
}
# No wait for quiet: at this size the weekly-plan email run, which starts with the server, goes on
# for hours (one member at a time), so these figures are with it sharing the cores.
run word '"q=engineer", "q=python", "q=finance", "q=health", "q=design", "q=energy", "q=teacher", "q=marketing", "q=renewable", "q=research", "q=data%20engineer", "q=software%20engineer"'
run word_and_facet '"q=engineer&career_stage=mid_career", "q=design&career_stage=student", "q=finance&career_stage=senior", "q=health&career_stage=early_career", "q=research&career_stage=in_transition"'
run facet_browse '"career_stage=student&open_to=mentoring", "career_stage=senior&open_to=mentoring", "career_stage=mid_career&open_to=coffee_chats", "career_stage=early_career&open_to=referrals"'
echo "== resident memory after $(($(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024)) MiB"
