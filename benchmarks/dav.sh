#!/usr/bin/env bash
# CardDAV at 10,000 contacts, over real HTTP on loopback, against a release `kith serve` on SQLite
# and, as the peer in the same run, Radicale (a Python CalDAV/CardDAV server) holding the same
# cards in its own file storage:
#   1. sync-collection REPORT with the current token (no changes) — REQUESTS in a row on one
#      keep-alive connection, p50 and p99;
#   2. PROPFIND Depth 1 of the whole address book (what a client does first), p50 and p99 of 20;
#   3. vdirsyncer's initial sync of every card into an empty folder, then a sync with no changes.
# Radicale answers a sync-collection on 10,000 cards in seconds, so it gets PEER_REQUESTS.
# Usage: benchmarks/dav.sh [CONTACTS] [REQUESTS] [PEER_REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${1:-10000}
REQUESTS=${2:-2000}
PEER_REQUESTS=${3:-20}
swift build -c release --product kith --scratch-path .build-release >/dev/null
[ -x .venv-dav/bin/python ] || python3 -m venv .venv-dav
.venv-dav/bin/pip install -q --disable-pip-version-check vdirsyncer==0.21.0 radicale==3.9.0
WORK=$(mktemp -d -t kith-dav.XXXXXX)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
KITH_PORT=$(port)
RADICALE_PORT=$(port)
.build-release/release/kith serve --data-dir "$WORK/kith" --port "$KITH_PORT" --log-level error --registrations-per-hour 0 \
    >"$WORK/kith.log" 2>&1 &
KITH=$!
trap 'kill $KITH ${RADICALE:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
until grep -q "Kith listening" "$WORK/kith.log"; do sleep 0.5; done

# The same cards for both servers: names, emails, phones, a birthday and a label Kith keeps as sent.
.venv-dav/bin/python - "$WORK" "$CONTACTS" <<'PY'
import os, sys
work, count = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/cards")
with open(f"{work}/all.vcf", "w", newline="") as everything:
    for n in range(count):
        card = (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-{n:05d}\r\nFN:Person {n:05d}\r\nN:{n:05d};Person;;;\r\n"
                f"EMAIL;TYPE=work:person{n}@example.org\r\nTEL;TYPE=cell:+44 20 7946 {n % 10000:04d}\r\nBDAY:1980-01-{n % 28 + 1:02d}\r\n"
                f"ORG:Company {n % 300}\r\nitem1.X-ABLabel:Colleague\r\nEND:VCARD\r\n")
        everything.write(card)
        with open(f"{work}/cards/bench-{n:05d}.vcf", "w", newline="") as one:
            one.write(card)
PY

# Kith: a member, an app password, the cards imported.
KITH_URL="http://127.0.0.1:$KITH_PORT"
read -r KITH_USER KITH_PASSWORD < <(python3 - "$KITH_URL" "$WORK/all.vcf" <<'PY'
import json, sys, urllib.request
base, file = sys.argv[1], sys.argv[2]
def call(method, path, token=None, body=None, raw=None, type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, method=method, data=data)
    request.add_header("content-type", type)
    if token: request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read().decode() or "null")
token = call("POST", "/api/v1/auth/register", body={"name": "Bench", "handle": "bench", "email": "bench@example.org", "password": "a long enough password"})["token"]
report = call("POST", "/api/v1/contacts/import", token, raw=open(file, "rb").read(), type="text/vcard")
assert report["created"] > 0, report
password = call("POST", "/api/v1/me/app-passwords", token, {"label": "bench"})["password"]
print("bench", password)
PY
)

# Radicale: the same cards in its own storage (a folder of .vcf files), no authentication.
mkdir -p "$WORK/radicale/collection-root/bench/contacts"
cp "$WORK"/cards/*.vcf "$WORK/radicale/collection-root/bench/contacts/"
echo '{"tag": "VADDRESSBOOK", "D:displayname": "contacts"}' >"$WORK/radicale/collection-root/bench/contacts/.Radicale.props"
cat >"$WORK/radicale.conf" <<CONF
[server]
hosts = 127.0.0.1:$RADICALE_PORT
[auth]
type = none
[storage]
filesystem_folder = $WORK/radicale
[logging]
level = warning
CONF
.venv-dav/bin/python -m radicale --config "$WORK/radicale.conf" >"$WORK/radicale.log" 2>&1 &
RADICALE=$!
until curl -s -o /dev/null "http://127.0.0.1:$RADICALE_PORT/"; do sleep 0.3; done
RADICALE_URL="http://127.0.0.1:$RADICALE_PORT"

measure() { # NAME URL COLLECTION USER PASSWORD REQUESTS
    .venv-dav/bin/python - "$@" <<'PY'
import base64, http.client, json, re, statistics, sys, time, urllib.parse
name, url, collection, user, password, requests = sys.argv[1:7]
requests = int(requests)
target = urllib.parse.urlparse(url)
auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
connection = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
def send(method, body, depth):
    connection.request(method, collection, body=body, headers={**auth, "Depth": depth, "Content-Type": "application/xml"})
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 207, (response.status, text[:300])
    return text
def sync(token):
    return send("REPORT", f'<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>', "1")
first = sync("")
token = re.search(r"<[^>]*sync-token>([^<]+)<", first).group(1)
cards = first.count("getetag>") // 2
def timed(work, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
quiet = sync(token)
assert not re.search(r"<(\w+:)?response>", quiet), quiet[:300]
p50, p99 = timed(lambda: sync(token), requests)
print(json.dumps({"name": f"{name}_sync_no_changes", "server": name, "cards": cards, "n": requests, "p50_ms": round(p50, 2), "p99_ms": round(p99, 2)}))
listings = min(20, requests)
p50, p99 = timed(lambda: send("PROPFIND", '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>', "1"), listings)
print(json.dumps({"name": f"{name}_propfind_depth_1", "server": name, "cards": cards, "n": listings, "p50_ms": round(p50, 2), "p99_ms": round(p99, 2)}))
PY
}
measure kith "$KITH_URL" "/dav/addressbooks/bench/contacts/" "$KITH_USER" "$KITH_PASSWORD" "$REQUESTS"
measure radicale "$RADICALE_URL" "/bench/contacts/" bench anything "$PEER_REQUESTS"

vdir() { # NAME URL USER PASSWORD
    local dir="$WORK/vdir-$1"
    mkdir -p "$dir/status" "$dir/cards"
    cat >"$dir/config" <<CONF
[general]
status_path = "$dir/status/"
[pair book]
a = "server"
b = "local"
collections = ["from a"]
[storage server]
type = "carddav"
url = "$2/"
username = "$3"
password = "$4"
[storage local]
type = "filesystem"
path = "$dir/cards/"
fileext = ".vcf"
CONF
    (yes || true) | .venv-dav/bin/vdirsyncer -c "$dir/config" discover book >/dev/null 2>&1
    local start end again
    start=$(date +%s.%N)
    .venv-dav/bin/vdirsyncer -c "$dir/config" sync >"$dir/sync.log" 2>&1
    end=$(date +%s.%N)
    .venv-dav/bin/vdirsyncer -c "$dir/config" sync >"$dir/again.log" 2>&1
    again=$(date +%s.%N)
    python3 -c "import json; print(json.dumps({'name': '$1_vdirsyncer_initial_sync', 'server': '$1', 'cards': $(find "$dir/cards" -name '*.vcf' | wc -l), 'seconds': round($end - $start, 2), 'no_change_seconds': round($again - $end, 2)}))"
}
vdir kith "$KITH_URL" "$KITH_USER" "$KITH_PASSWORD"
vdir radicale "$RADICALE_URL" bench anything
