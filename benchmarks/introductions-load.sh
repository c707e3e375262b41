#!/usr/bin/env bash
# Creating introductions under load on loopback: wrk against a release `kith serve --demo` (SQLite
# by default, PostgreSQL with KITH_DATABASE_URL set). 200 demo members each get a warm path to
# someone they do not know (a suggestion, through a mutual connection). Then:
#   1. POST /api/v1/introductions, each followed on its connection by
#      POST /api/v1/introductions/{id}/withdraw (so askers stay under the cap of five open);
#      wrk's latency is over both writes; the answers are counted by kind (created, withdrawn,
#      refused by a cap, other) and printed.
# Usage: benchmarks/introductions-load.sh [MEMBERS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-2000}
SECONDS_=${2:-15}
CONNECTIONS=${3:-32}
source benchmarks/demo-server.sh
start_demo_server introductions "$MEMBERS" --registrations-per-hour 0
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
while len(handles) < 400:
    page = call("GET", "/api/v1/members?limit=100" + (f"&after={after}" if after else ""), demo)
    handles += [m["handle"] for m in page["items"] if m["handle"] != "demo"]
    after = page["next"]
    if not after: break
def path(handle):
    token = call("POST", "/api/v1/auth/token", body={"email": f"{handle}@example.org", "password": "kith-demo-2026"})["token"]
    for suggestion in call("GET", "/api/v1/suggestions?limit=10", token)["items"]:
        target = suggestion["member"]["handle"] if "member" in suggestion else suggestion["handle"]
        relationship = call("GET", f"/api/v1/members/{target}/relationship", token)
        if relationship.get("degree") == 2 and relationship.get("mutuals"):
            return (token, handle, relationship["mutuals"][0]["handle"], target)
    return None
with ThreadPoolExecutor(8) as pool:
    paths = [p for p in pool.map(path, handles) if p][:200]
print(f"{len(paths)} askers with a warm path")
with open(f"{data}/paths", "w") as out:
    for token, asker, via, target in paths:
        out.write(f"{token} {asker} {via} {target}\n")
PY
cat >"$DATA/introduce.lua" <<LUA
local paths, tokens = {}, {}
for line in io.lines("$DATA/paths") do
  local token, asker, via, target = line:match("(%S+) (%S+) (%S+) (%S+)")
  paths[#paths + 1] = {token = token, via = via, target = target}
  tokens[asker] = token
end
-- Introductions created and not yet withdrawn (answers arrive in any order across connections:
-- each is matched by the asker's handle in its body).
local pending = {}
request = function()
  if #pending > 0 then
    local item = table.remove(pending, 1)
    return wrk.format("POST", "/api/v1/introductions/" .. item.id .. "/withdraw", {["Authorization"] = "Bearer " .. item.token, ["Content-Type"] = "application/json"})
  end
  local path = paths[math.random(#paths)]
  local body = '{"target":"' .. path.target .. '","via":"' .. path.via .. '","purpose":"advice",'
    .. '"blurb":"Moving from analytics into data engineering; we were at Northfield together.",'
    .. '"ask":"Twenty minutes about how your team works?"}'
  return wrk.format("POST", "/api/v1/introductions", {["Authorization"] = "Bearer " .. path.token, ["Content-Type"] = "application/json"}, body)
end
-- Answers by kind of request, read back in done() (wrk runs each thread in a Lua state of its own).
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
created, withdrawn, refused, other = 0, 0, 0, 0
response = function(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 200 then withdrawn = withdrawn + 1
  elseif status == 409 or status == 429 then refused = refused + 1
  else other = other + 1 end
  if status == 201 then
    local id = body:match('"id":"([^"]+)"')
    local asker = body:match('"asker":{[^}]*"handle":"([^"]+)"')
    if id and asker and tokens[asker] then pending[#pending + 1] = {id = id, token = tokens[asker]} end
  end
end
done = function(summary, latency, requests)
  local c, w, r, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); w = w + thread:get("withdrawn"); r = r + thread:get("refused"); o = o + thread:get("other")
  end
  io.write(string.format("introductions created (201): %d, withdrawn (200): %d, refused by a cap (409/429): %d, other: %d\n", c, w, r, o))
end
LUA
source benchmarks/wait-quiet.sh
wait_quiet "$SERVER"
echo "== POST /api/v1/introductions then .../withdraw ($MEMBERS members, $CONNECTIONS connections, ${SECONDS_}s)"
wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/introduce.lua" "$BASE"
