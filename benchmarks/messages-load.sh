#!/usr/bin/env bash
# Messages under load on loopback: wrk against a release `kith serve --demo` (SQLite by default,
# PostgreSQL with KITH_DATABASE_URL set). The demo member is given an inbox of 500 conversations
# (500 members write to them over the API; each request is accepted), then:
#   1. GET /api/v1/conversations?limit=20    (the inbox's first page, 500 conversations behind it)
#   2. POST /api/v1/conversations/{id}/messages  (the demo member writes in a random one of them)
# Usage: [KITH_BIN=path/to/kith] benchmarks/messages-load.sh [MEMBERS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-2000}
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
source benchmarks/demo-server.sh
start_demo_server messages "$MEMBERS" --registrations-per-hour 0
python3 - "$BASE" "$DATA" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, data = sys.argv[1], sys.argv[2]
def call(method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token: request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read().decode()
        return json.loads(text) if text else None
demo = call("POST", "/api/v1/auth/token", body={"email": "demo@kith.example", "password": "kith-demo-2026"})["token"]
handles, after = [], ""
while len(handles) < 520:
    page = call("GET", "/api/v1/members?limit=100" + (f"&after={after}" if after else ""), demo)
    handles += [m["handle"] for m in page["items"] if m["handle"] != "demo"]
    after = page["next"]
    if not after: break
def write(handle):
    token = call("POST", "/api/v1/auth/token", body={"email": f"{handle}@example.org", "password": "kith-demo-2026"})["token"]
    return call("POST", "/api/v1/conversations", token, {"to": ["demo"], "body": f"Hello from {handle}"})["id"]
with ThreadPoolExecutor(8) as pool:
    ids = [i for i in pool.map(write, handles[:500])]
for conversation in set(ids):
    call("POST", f"/api/v1/conversations/{conversation}/accept", demo)
inbox = call("GET", "/api/v1/conversations?limit=100", demo)
print(f"inbox: {len(set(ids))} conversations ({len(inbox['items'])} on a 100-item page)")
open(f"{data}/token", "w").write(demo)
open(f"{data}/conversations", "w").write("\n".join(sorted(set(ids))))
PY
TOKEN=$(cat "$DATA/token")
cat >"$DATA/send.lua" <<LUA
local ids = {}
for line in io.lines("$DATA/conversations") do ids[#ids + 1] = line end
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format("POST", "/api/v1/conversations/" .. ids[math.random(#ids)] .. "/messages", nil, '{"body":"Thanks, let us talk on Thursday."}')
end
LUA
source benchmarks/wait-quiet.sh
wait_quiet "$SERVER"
echo "== GET /api/v1/conversations?limit=20 (inbox of 500; $MEMBERS members, $CONNECTIONS connections, ${SECONDS_}s)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/conversations?limit=20"
echo "== POST /api/v1/conversations/{id}/messages"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/send.lua" "$BASE"
