#!/usr/bin/env bash
# RSVP round trips under load on loopback (issue: events): 100 members, each with a token, answer
# going / not going at random to one event with 50 places (so the waitlist fills, empties and
# promotes all the time), through PUT /api/v1/events/{id}/rsvp on a release `kith serve --demo`
# (SQLite), with wrk. Usage: benchmarks/rsvp-load.sh [SECONDS] [CONNECTIONS] [THINK_MS]
# THINK_MS 0 (the default) is saturation: every client sends its next RSVP the moment it has an
# answer. THINK_MS > 0 gives each client a pause drawn uniformly from [THINK_MS/2, 3*THINK_MS/2]
# between an answer and its next request, like people clicking.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-20}
CONNECTIONS=${2:-100}
THINK_MS=${3:-0}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product kith --scratch-path .build-release >/dev/null
DATA=$(mktemp -d -t kith-rsvp.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
.build-release/release/kith serve --data-dir "$DATA" --port "$PORT" --demo --demo-members 2000 --bcrypt-cost 4 --registrations-per-hour 0 \
    --log-level error --mail-url "file://$DATA/mail" >"$DATA/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "Kith listening" "$DATA/log"; do sleep 0.5; done
BASE="http://127.0.0.1:$PORT"
python3 - "$BASE" "$DATA" <<'PY'
import json, sys, urllib.request
base, data = sys.argv[1], sys.argv[2]
def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token: headers["authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None, headers=headers, method=method)
    return json.load(urllib.request.urlopen(request))
tokens = []
for i in range(100):
    handle = f"rsvp-load-{i}"
    tokens.append(call("POST", "/api/v1/auth/register",
                       {"email": f"{handle}@example.org", "password": "a long enough password", "name": f"Load {i}", "handle": handle})["token"])
event = call("POST", "/api/v1/events", {
    "title": "Load test", "format": "meetup", "starts_at": "2031-01-01T18:00:00Z", "ends_at": "2031-01-01T20:00:00Z",
    "timezone": "UTC", "capacity": 50}, tokens[0])
open(f"{data}/tokens", "w").write("\n".join(tokens) + "\n")
open(f"{data}/event", "w").write(event["id"])
PY
EVENT=$(cat "$DATA/event")
cat >"$DATA/rsvp.lua" <<LUA
local tokens = {}
for line in io.lines("$DATA/tokens") do tokens[#tokens + 1] = line end
local statuses = {"going", "going", "not_going"}
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
request = function()
  wrk.headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]
  return wrk.format(nil, "/api/v1/events/$EVENT/rsvp", nil, '{"status":"' .. statuses[math.random(#statuses)] .. '"}')
end
if $THINK_MS > 0 then
  delay = function() return math.random(math.floor($THINK_MS / 2), math.floor($THINK_MS * 3 / 2)) end
end
LUA
echo "== PUT /api/v1/events/{id}/rsvp (100 members, 50 places, $CONNECTIONS connections, think time ${THINK_MS} ms, ${SECONDS_}s)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$DATA/rsvp.lua" "$BASE"
python3 - "$BASE" "$(head -1 "$DATA/tokens")" "$EVENT" <<'PY'
import json, sys, urllib.request
base, token, event = sys.argv[1:4]
request = urllib.request.Request(f"{base}/api/v1/events/{event}/attendees", headers={"authorization": "Bearer " + token})
rows = json.load(urllib.request.urlopen(request))["items"]
going = sum(1 for r in rows if r["status"] == "going")
positions = [r["waitlist_position"] for r in rows if r["status"] == "waitlisted"]
print(f"after the run: {going} going (capacity 50), waitlist positions {positions[:3]}…{positions[-1:] if positions else []}, gapless: {positions == list(range(1, len(positions) + 1))}")
assert going <= 50 and positions == list(range(1, len(positions) + 1))
PY
