#!/usr/bin/env bash
# The profile page and the member API under load (#20 part 2): their p99 alone, then while other
# clients keep the server busy with suggestions, word searches and relationships — the target is
# p99 under load within 2x of p99 alone. A release `kith serve --demo` (SQLite) on loopback; wrk.
# Usage: [KITH_BIN=path/to/kith] benchmarks/under-load.sh [MEMBERS] [SECONDS] [MEASURED_CONNECTIONS] [LOAD_CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-2000}
SECONDS_=${2:-10}
MEASURED=${3:-8}
LOAD=${4:-24}
source benchmarks/demo-server.sh
start_demo_server under-load "$MEMBERS"
# The demo member's token and session, 100 handles.
python3 - "$BASE" "$DATA" <<'PY'
import http.cookiejar, json, sys, urllib.parse, urllib.request
base, data = sys.argv[1], sys.argv[2]
request = urllib.request.Request(base + "/api/v1/auth/token", headers={"content-type": "application/json"},
                                 data=json.dumps({"email": "demo@kith.example", "password": "kith-demo-2026"}).encode())
token = json.load(urllib.request.urlopen(request))["token"]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.open(base + "/signin")
csrf = next(c.value for c in jar if c.name == "kith_csrf")
form = urllib.parse.urlencode({"_csrf": csrf, "email": "demo@kith.example", "password": "kith-demo-2026", "next": "/"}).encode()
opener.open(urllib.request.Request(base + "/signin", data=form))
session = next(c.value for c in jar if c.name == "kith_session")
members = urllib.request.Request(base + "/api/v1/members?limit=100", headers={"authorization": "Bearer " + token})
handles = [m["handle"] for m in json.load(urllib.request.urlopen(members))["items"]]
open(f"{data}/token", "w").write(token)
open(f"{data}/session", "w").write(session)
open(f"{data}/handles", "w").write("\n".join(handles) + "\n")
PY
TOKEN=$(cat "$DATA/token")
SESSION=$(cat "$DATA/session")
# One script per measured route (a random member each request), and one for the load.
for route in page api; do
    cat >"$DATA/$route.lua" <<LUA
local handles = {}
for line in io.lines("$DATA/handles") do handles[#handles + 1] = line end
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Cookie"] = "kith_session=$SESSION"
request = function()
  local handle = handles[math.random(#handles)]
  if "$route" == "page" then return wrk.format("GET", "/in/" .. handle) end
  return wrk.format("GET", "/api/v1/members/" .. handle)
end
LUA
done
cat >"$DATA/load.lua" <<LUA
local handles = {}
for line in io.lines("$DATA/handles") do handles[#handles + 1] = line end
local words = {"engineer", "design", "python", "health", "finance", "teacher", "data", "product"}
wrk.headers["Authorization"] = "Bearer $TOKEN"
local n = 0
request = function()
  n = n + 1
  local kind = n % 3
  if kind == 0 then return wrk.format("GET", "/api/v1/suggestions?limit=20") end
  if kind == 1 then return wrk.format("GET", "/api/v1/members?q=" .. words[math.random(#words)]) end
  return wrk.format("GET", "/api/v1/members/" .. handles[math.random(#handles)] .. "/relationship")
end
LUA
source benchmarks/wait-quiet.sh
wait_quiet "$SERVER"
measure() { wrk -t1 -c"$MEASURED" -d"${SECONDS_}s" --latency -s "$DATA/$1.lua" "$BASE" | grep -E "Requests/sec|  50%|  99%|Non-2xx"; }
for route in page api; do
    echo "== GET $([ $route = page ] && echo "/in/{handle} (page)" || echo "/api/v1/members/{handle}") alone ($MEASURED connections, ${SECONDS_}s)"
    measure $route
    echo "== the same while $LOAD more connections ask for suggestions, word searches and relationships"
    wrk -t1 -c"$LOAD" -d"$((SECONDS_ + 4))s" --latency -s "$DATA/load.lua" "$BASE" >"$DATA/load.out" &
    LOADER=$!
    sleep 2
    measure $route
    wait $LOADER
    echo "   (the load itself: $(grep -E 'Requests/sec|  50%|  99%' "$DATA/load.out" | tr -s ' ' | paste -sd' '))"
done
