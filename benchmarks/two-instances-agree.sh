#!/usr/bin/env bash
# Two `kith serve` on one PostgreSQL database under a steady stream of connection and profile
# changes (#20 part 3): how long after a change is acknowledged by the first instance the second
# answers with it — a new connection (or a removed one) in `GET /api/v1/members/{handle}/relationship`,
# a new headline word in word search `GET /api/v1/members?q=word` — and whether either instance's
# memory grows.
#
# PAIRS pairs of members are registered through the first instance; each pair has a worker that
# makes changes through the first instance at its share of RATE changes a second: the first member
# of the pair rewrites their headline with a fresh word, or the two connect (one asks, the other
# accepts; they take turns to ask, which keeps a ten-minute run within the weekly request limit
# with 100 pairs) or the connection is removed. A fraction PROBE of the changes is a probe: its worker then
# polls the second instance every 25 ms until it answers with the change (5 s at most) and records
# the lag (so the polling itself stays a small load). At the end every pair's relationship and
# every member's latest word are checked on both instances.
#
# Usage: benchmarks/two-instances-agree.sh DATABASE_URL [SECONDS] [RATE] [PAIRS] [PROBE]
# The database may be empty or already seeded (`KithBench directory --schema public
# --with-network`, a million members); KITH_BIN measures a given binary instead of building one;
# KITH_WORD_INDEX_DIR gives each instance a word-index file there (word-index-A, word-index-B), so
# that a database measured before starts from the files instead of indexing every member.
set -euo pipefail
cd "$(dirname "$0")/.."
URL=$1
SECONDS_=${2:-60}
RATE=${3:-100}
PAIRS=${4:-60}
PROBE=${5:-0.2}
KITH=${KITH_BIN:-.build-release/release/kith}
[ -n "${KITH_BIN:-}" ] || swift build -c release --product kith --scratch-path .build-release >/dev/null
DATA=$(mktemp -d -t kith-agree.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT_A=$(free_port)
PORT_B=$(free_port)
START=$(date +%s.%N)
# The weekly email job is put off to its longest interval: it is not what is measured here.
for side in A B; do
    port_var=PORT_$side
    "$KITH" serve --database-url "$URL" --port "${!port_var}" --log-level error --bcrypt-cost 4 \
        --registrations-per-hour 0 --weekly-plan-every 86400 \
        ${KITH_WORD_INDEX_DIR:+--word-index-file "$KITH_WORD_INDEX_DIR/word-index-$side"} >"$DATA/log-$side" 2>&1 &
    eval "SERVER_$side=$!"
done
trap 'kill $SERVER_A $SERVER_B 2>/dev/null; wait $SERVER_A $SERVER_B 2>/dev/null; rm -rf "$DATA"' EXIT
for side in A B; do
    until grep -q "Kith listening" "$DATA/log-$side"; do
        pid_var=SERVER_$side
        kill -0 "${!pid_var}" 2>/dev/null || { cat "$DATA/log-$side"; exit 1; }
        sleep 0.2
    done
done
echo "== both instances listening after $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s"
python3 - "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$SECONDS_" "$RATE" "$PAIRS" "$PROBE" \
    "$SERVER_A" "$SERVER_B" <<'PY'
import json, random, string, sys, threading, time, urllib.error, urllib.request

base_a, base_b = sys.argv[1], sys.argv[2]
seconds, rate, pairs, probe = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
pids = {"A": int(sys.argv[7]), "B": int(sys.argv[8])}

def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0

def word():
    # Letters only, and never the "zq" prefix the index keeps for facet tokens.
    return "kw" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))

stamp = int(time.time())
members = []
for index in range(2 * pairs):
    handle = f"agree{stamp % 100000}n{index}"
    status, answer = call(base_a, "POST", "/api/v1/auth/register", body={
        "email": f"{handle}@example.org", "password": "agree-password-2026", "name": f"Agree {index}", "handle": handle})
    assert status == 201, (status, answer)
    members.append({"handle": handle, "token": answer["token"], "word": None})
print(f"{len(members)} members registered through the first instance")

lock = threading.Lock()
lags = {"connect": [], "disconnect": [], "headline": []}
counts = {"connect": 0, "disconnect": 0, "headline": 0}
late, errors = [], []
slot = [time.monotonic()]
last = [time.monotonic()]
deadline = time.monotonic() + seconds

def take_slot():
    with lock:
        slot[0] = max(slot[0] + 1.0 / rate, time.monotonic())
        when = slot[0]
    delay = when - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    return when < deadline

def degree(base, viewer, other):
    status, answer = call(base, "GET", f"/api/v1/members/{other['handle']}/relationship", viewer["token"])
    return answer.get("degree") if status == 200 else f"status {status}"

def found(base, viewer, member):
    status, answer = call(base, "GET", f"/api/v1/members?q={member['word']}&limit=5", viewer["token"])
    return status == 200 and any(item["handle"] == member["handle"] for item in answer["items"])

def wait_for(kind, check):
    acknowledged = time.monotonic()
    while time.monotonic() - acknowledged < 5:
        if check():
            with lock:
                lags[kind].append(time.monotonic() - acknowledged)
            return
        time.sleep(0.025)
    with lock:
        late.append(kind)

def worker(first, second):
    connected = False
    # The two take turns to ask, so a long run stays within each member's weekly request limit
    # (100: a refused request would be a change not made).
    asker, answerer = first, second
    while take_slot():
        measured = random.random() < probe
        if random.random() < 0.5:
            first["word"] = word()
            status, answer = call(base_a, "PATCH", "/api/v1/me/profile", first["token"],
                                  {"headline": f"Checking agreement {first['word']}"})
            kind = "headline"
            if status != 200:
                errors.append((kind, status, str(answer)[:200])); continue
            check = lambda: found(base_b, second, first)
        elif not connected:
            status, answer = call(base_a, "POST", "/api/v1/connections/requests", asker["token"], {"to": answerer["handle"]})
            if status != 201:
                errors.append(("request", status, str(answer)[:200])); continue
            status, answer = call(base_a, "POST", f"/api/v1/connections/requests/{answer['id']}/accept", answerer["token"])
            asker, answerer = answerer, asker
            kind = "connect"
            if status != 200:
                errors.append((kind, status, str(answer)[:200])); continue
            connected = True
            check = lambda: degree(base_b, first, second) == 1
        else:
            status, answer = call(base_a, "DELETE", f"/api/v1/connections/{second['handle']}", first["token"])
            kind = "disconnect"
            if status != 204:
                errors.append((kind, status, str(answer)[:200])); continue
            connected = False
            check = lambda: degree(base_b, first, second) != 1
        with lock:
            counts[kind] += 1
            last[0] = time.monotonic()
        if measured:
            wait_for(kind, check)

memory = {"A": [rss_mib(pids["A"])], "B": [rss_mib(pids["B"])]}
threads = [threading.Thread(target=worker, args=(members[2 * i], members[2 * i + 1])) for i in range(pairs)]
began = time.monotonic()
for thread in threads:
    thread.start()
while any(thread.is_alive() for thread in threads):
    time.sleep(5)
    for side in memory:
        memory[side].append(rss_mib(pids[side]))
elapsed = last[0] - began
made = sum(counts.values())
print(f"== {made} changes in {elapsed:.1f} s ({made / elapsed:.1f} a second): "
      + ", ".join(f"{counts[k]} {k}" for k in counts) + f"; {len(errors)} refused or failed")
for error in errors[:5]:
    print("   ", error)

def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")

everything = [lag for values in lags.values() for lag in values]
print("== lag until the second instance answers with the change (probes, polled every 25 ms):")
for kind, values in list(lags.items()) + [("all", everything)]:
    if values:
        over = sum(1 for lag in values if lag > 1.0)
        print(f"   {kind:10} n={len(values):5}  p50 {percentile(values, 0.5) * 1000:7.1f} ms  "
              f"p99 {percentile(values, 0.99) * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms  over 1 s: {over}")
print(f"   not seen within 5 s: {len(late)} {late[:5]}")

# After the load: both instances must give the same answers for every pair and every word.
time.sleep(2)
disagree = 0
for index in range(pairs):
    first, second = members[2 * index], members[2 * index + 1]
    if degree(base_a, first, second) != degree(base_b, first, second):
        disagree += 1
    if first["word"] and found(base_a, second, first) != found(base_b, second, first):
        disagree += 1
print(f"== after the load, answers that differ between the instances: {disagree} (of {2 * pairs} checked)")
for side in memory:
    values = memory[side]
    print(f"== resident memory, instance {side}: {values[0]} MiB at the start, {values[-1]} MiB at the end, "
          f"max {max(values)} MiB (samples every 5 s: {values})")
PY
