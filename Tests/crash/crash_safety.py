"""Crash safety: writes through the HTTP API from several concurrent clients (registrations,
contacts, interactions, profile edits, RSVPs to an event with fewer places than writers), records
every write the server acknowledged, kills the server with SIGKILL at a random moment, restarts it on the same
database, and checks that every acknowledged write is there and the database is intact
(PRAGMA integrity_check and foreign_key_check). Zero lost acknowledged writes, or it fails. Each
headline edit carries a word of its own: after every restart, word search for the headline each
member has must find that member — the word index (read back from its file, or built) agrees with
the database after a kill.

Usage: python crash_safety.py KITH_BIN CYCLES [DATA_DIR]
With KITH_CRASH_DATABASE_URL set, the server runs on that PostgreSQL database instead (start it with
fsync on: scripts/with-test-postgres.sh with KITH_PG_DURABLE=1); the SQLite file checks are skipped
and PostgreSQL's own guarantees stand in for them.
"""
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


DATABASE_URL = os.environ.get("KITH_CRASH_DATABASE_URL")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data):
        self.binary, self.data, self.port = binary, data, free_port()
        self.log = open(os.path.join(data, "serve.log"), "a")
        # On PostgreSQL the word index's file is asked for (SQLite keeps it in the data directory by default).
        storage = ["--database-url", DATABASE_URL, "--word-index-file", os.path.join(data, "word-index")] if DATABASE_URL else ["--data-dir", data]
        self.process = subprocess.Popen(
            [binary, "serve", *storage, "--port", str(self.port), "--bcrypt-cost", "4", "--log-level", "error", "--registrations-per-hour", "0",
             "--mail-url", "file://" + os.path.join(data, "mail")],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1)
                return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError("kith serve exited at start")
                time.sleep(0.1)
        raise RuntimeError("kith serve did not start")

    def call(self, method, path, body=None, token=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def register(server, handle):
    _, reply = server.call("POST", "/api/v1/auth/register", {
        "email": f"{handle}@example.org", "password": "a long enough password", "name": handle.title(), "handle": handle})
    return reply["token"]


def create_event(server, token, places):
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30 * 86400))
    end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30 * 86400 + 7200))
    _, event = server.call("POST", "/api/v1/events", {
        "title": "Crash test meetup", "format": "meetup", "starts_at": start, "ends_at": end, "timezone": "UTC",
        "capacity": places}, token)
    return event["id"]


def writer(server, name, acknowledged, stop, lock, event):
    """Registers a member, then adds contacts and interactions, edits the profile and answers the
    event until stopped; records each 2xx, and what was in flight when the server died."""
    rng = random.Random(name)
    handle = f"crash-{name}"
    state = {"handle": handle, "token": None, "headline": None, "headline_in_flight": None,
             "rsvp": None, "rsvp_in_flight": None, "event": event}
    try:
        state["token"] = token = register(server, handle)
        with lock:
            acknowledged["members"].append((handle, token))
            acknowledged["writers"].append(state)
        edits = 0
        while not stop.is_set():
            status, contact = server.call("POST", "/api/v1/contacts", {"name": f"Contact {rng.random():.8f}", "tags": ["crash"]}, token)
            with lock:
                acknowledged["contacts"].append((token, contact["id"], contact["name"]))
            status, logged = server.call("POST", f"/api/v1/contacts/{contact['id']}/interactions", {"kind": "call", "note": "n"}, token)
            with lock:
                acknowledged["interactions"].append((token, contact["id"], logged["id"]))
            edits += 1
            headline = f"Edit {edits} " + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
            state["headline_in_flight"] = headline
            server.call("PATCH", "/api/v1/me/profile", {"headline": headline}, token)
            state["headline"], state["headline_in_flight"] = headline, None
            choice = rng.choice(["going", "going", "not_going"])
            state["rsvp_in_flight"] = choice
            _, answer = server.call("PUT", f"/api/v1/events/{event}/rsvp", {"status": choice}, token)
            state["rsvp"], state["rsvp_in_flight"] = answer["status"], None
            with lock:
                acknowledged["edits"] += 2
    except Exception:
        return  # the server died under us: only what was acknowledged counts


def verify_writers(server, acknowledged, lost):
    """Profile edits and RSVPs: each writer's last acknowledged answer stands, unless the request it
    had in flight when the server died was committed too. Promotions only ever turn waiting into
    going, and the event never holds more than its places, with a gapless waitlist."""
    events = {}
    for state in acknowledged["writers"]:
        token = state["token"]
        _, me = server.call("GET", "/api/v1/me", token=token)
        headline = me.get("profile", me).get("headline")
        state["current_headline"] = headline
        allowed = {state["headline"], state["headline_in_flight"]} - {None}
        if allowed and headline not in allowed and not (state["headline"] is None and headline in ("", None)):
            lost.append(f"{state['handle']}: headline {headline!r}, acknowledged {state['headline']!r}")
        _, event = server.call("GET", f"/api/v1/events/{state['event']}", token=token)
        events[state["event"]] = (token, event)
        mine, acked, in_flight = event["my_rsvp"], state["rsvp"], state["rsvp_in_flight"]
        possible = {None} if acked is None else {acked}
        if acked == "waitlisted":
            possible.add("going")
        if in_flight == "not_going":
            possible.add("not_going")
        elif in_flight == "going":
            possible |= {"going", "waitlisted"}
        if mine not in possible:
            lost.append(f"{state['handle']}: RSVP {mine!r}, acknowledged {acked!r}, in flight {in_flight!r}")
    # Word search agrees with the database: each member's headline word finds them, and only them.
    acknowledged["searched"] = 0
    for state in acknowledged["writers"]:
        headline = state["current_headline"]
        if not headline or not headline.startswith("Edit "):
            continue
        word = headline.split()[-1]
        _, found = server.call("GET", f"/api/v1/members?q={word}&limit=5", token=state["token"])
        handles = [item["handle"] for item in found["items"]]
        acknowledged["searched"] += 1
        if handles != [state["handle"]]:
            lost.append(f"{state['handle']}: search for its headline word {word!r} found {handles}")
    for event_id, (token, event) in events.items():
        if event["capacity"] is not None and event["going_count"] > event["capacity"]:
            lost.append(f"event {event_id}: {event['going_count']} going for {event['capacity']} places")


def verify(server, data, acknowledged):
    lost = []
    for handle, token in acknowledged["members"]:
        try:
            server.call("GET", "/api/v1/me", token=token)
        except urllib.error.HTTPError as error:
            lost.append(f"member {handle}: {error.code}")
    for token, contact_id, name in acknowledged["contacts"]:
        try:
            _, detail = server.call("GET", f"/api/v1/contacts/{contact_id}", token=token)
            if detail["contact"]["name"] != name:
                lost.append(f"contact {contact_id} changed")
        except urllib.error.HTTPError as error:
            lost.append(f"contact {contact_id}: {error.code}")
    timelines = {}
    for token, contact_id, interaction_id in acknowledged["interactions"]:
        if contact_id not in timelines:
            _, listed = server.call("GET", f"/api/v1/contacts/{contact_id}/interactions", token=token)
            timelines[contact_id] = {item["id"] for item in listed["items"]}
        if interaction_id not in timelines[contact_id]:
            lost.append(f"interaction {interaction_id}")
    verify_writers(server, acknowledged, lost)
    if DATABASE_URL:
        return lost, [("ok",)], []
    database = sqlite3.connect(f"file:{os.path.join(data, 'kith.sqlite')}?mode=ro", uri=True)
    integrity = database.execute("PRAGMA integrity_check").fetchall()
    foreign = database.execute("PRAGMA foreign_key_check").fetchall()
    database.close()
    return lost, integrity, foreign


def main():
    binary, cycles = sys.argv[1], int(sys.argv[2])
    data = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="kith-crash-")
    acknowledged = {"members": [], "contacts": [], "interactions": [], "writers": [], "edits": 0}
    lock = threading.Lock()
    rng = random.Random(2026)
    for cycle in range(1, cycles + 1):
        server = Server(binary, data)
        stop = threading.Event()
        # Four places for six writers: the waitlist fills, empties and promotes while the server dies.
        event = create_event(server, register(server, f"organiser-{cycle}"), 4)
        threads = [threading.Thread(target=writer, args=(server, f"{cycle}-{i}", acknowledged, stop, lock, event)) for i in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.5, 3.0))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join()
        server = Server(binary, data)
        lost, integrity, foreign = verify(server, data, acknowledged)
        server.process.terminate()
        server.process.wait()
        print(f"cycle {cycle}: {len(acknowledged['members'])} members, {len(acknowledged['contacts'])} contacts, "
              f"{len(acknowledged['interactions'])} interactions, {acknowledged['edits']} profile edits and RSVPs "
              f"acknowledged so far; lost {len(lost)}; {acknowledged['searched']} headline searches checked; "
              + (f"integrity {integrity[0][0]}; foreign-key problems {len(foreign)}" if not DATABASE_URL else "on PostgreSQL"), flush=True)
        if lost or integrity != [("ok",)] or foreign:
            print("\n".join(lost[:20]))
            sys.exit(1)
    print(f"{cycles} kill cycles, zero lost acknowledged writes")


if __name__ == "__main__":
    main()
