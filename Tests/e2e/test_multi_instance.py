"""Two `kith serve` processes on one PostgreSQL database: sessions and tokens work on both, and a
connection made through one shows in the other's degree and path queries within a second."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import ROOT, free_port

POSTGRES = os.environ.get("KITH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs KITH_TEST_POSTGRES_URL (CI runs it under scripts/with-test-postgres.sh)")


def start(port, log, *extra):
    binary = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))
    process = subprocess.Popen(
        [binary, "serve", "--database-url", POSTGRES, "--port", str(port), "--bcrypt-cost", "4", "--log-level", "warning",
         "--registrations-per-hour", "0", *extra],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        log.seek(0)
        if re.search(rf"Kith listening on http://127.0.0.1:{port}", log.read()):
            return process
        time.sleep(0.2)
    process.kill()
    log.seek(0)
    raise RuntimeError(log.read())


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


@pytest.fixture()
def two_servers():
    logs = [tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")]
    ports = [free_port(), free_port()]
    first = start(ports[0], logs[0])
    second = start(ports[1], logs[1])
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for process in (first, second):
        process.terminate()
        process.wait(timeout=15)


def test_writes_through_one_instance_are_seen_by_the_other(two_servers):
    one, two = two_servers
    suffix = str(int(time.time() * 1000))[-7:]
    status, ada = call(one, "POST", "/api/v1/auth/register",
                       body={"email": f"ada{suffix}@example.org", "password": "password-ada", "name": "Ada", "handle": f"ada-{suffix}"})
    assert status == 201
    status, bob = call(two, "POST", "/api/v1/auth/register",
                       body={"email": f"bob{suffix}@example.org", "password": "password-bob", "name": "Bob", "handle": f"bob-{suffix}"})
    assert status == 201
    # A token issued by one instance works on the other.
    assert call(two, "GET", "/api/v1/me", token=ada["token"])[0] == 200
    assert call(one, "GET", f"/api/v1/members/bob-{suffix}", token=ada["token"])[0] == 200

    status, request = call(one, "POST", "/api/v1/connections/requests", token=ada["token"], body={"to": f"bob-{suffix}"})
    assert status == 201
    incoming = call(two, "GET", "/api/v1/connections/requests?box=incoming", token=bob["token"])[1]
    assert [item["id"] for item in incoming["items"]] == [request["id"]]
    accepted_at = time.time()
    assert call(two, "POST", f"/api/v1/connections/requests/{request['id']}/accept", token=bob["token"])[0] == 200

    seen = None
    while time.time() - accepted_at < 1.0:
        relationship = call(one, "GET", f"/api/v1/members/bob-{suffix}/relationship", token=ada["token"])[1]
        if relationship["degree"] == 1:
            seen = time.time() - accepted_at
            break
        time.sleep(0.05)
    assert seen is not None, "the other instance did not see the connection within one second"
    assert relationship["paths"] == [[f"ada-{suffix}", f"bob-{suffix}"]]



def test_a_section_hidden_through_one_instance_is_hidden_at_once_on_the_other(two_servers):
    """Each instance keeps members' profiles in memory (the member cache): a change committed through
    one must show on the other at its very next read, not a moment later."""
    one, two = two_servers
    suffix = str(int(time.time() * 1000))[-7:]
    tokens = {}
    for name in ("cy", "di"):
        status, body = call(one, "POST", "/api/v1/auth/register",
                            body={"email": f"{name}{suffix}@example.org", "password": f"password-{name}", "name": name.title(),
                                  "handle": f"{name}-{suffix}"})
        assert status == 201
        tokens[name] = body["token"]
    status, _ = call(one, "PATCH", "/api/v1/me/profile", token=tokens["cy"],
                     body={"headline": "Engineer", "skills": ["Swift", "Rust"], "visibility": {"skills": "community"}})
    assert status == 200
    for round_ in range(5):
        # The other instance reads (and keeps) the profile, then the section is hidden through the first.
        status, before = call(two, "GET", f"/api/v1/members/cy-{suffix}", token=tokens["di"])
        assert status == 200 and before["skills"] == ["Swift", "Rust"]
        assert call(one, "PATCH", "/api/v1/me/profile", token=tokens["cy"], body={"visibility": {"skills": "only_me"}})[0] == 200
        status, after = call(two, "GET", f"/api/v1/members/cy-{suffix}", token=tokens["di"])
        assert status == 200
        assert after.get("skills") is None, f"round {round_}: the other instance still showed the hidden skills"
        headline = f"Engineer {round_}"
        assert call(one, "PATCH", "/api/v1/me/profile", token=tokens["cy"],
                    body={"headline": headline, "visibility": {"skills": "community"}})[0] == 200
        assert call(two, "GET", f"/api/v1/members/cy-{suffix}", token=tokens["di"])[1]["headline"] == headline

def test_a_message_written_through_one_instance_streams_from_the_other(two_servers):
    """An open conversation page on one instance gets a message written through the other within
    a second (Server-Sent Events, fed by that instance's catch-up on the shared database)."""
    import http.client
    import threading
    import urllib.parse

    one, two = two_servers
    suffix = str(int(time.time() * 1000))[-7:]
    tokens = {}
    for name, base in (("cara", one), ("dev", two)):
        status, body = call(base, "POST", "/api/v1/auth/register",
                            body={"email": f"{name}{suffix}@example.org", "password": f"password-{name}", "name": name.title(),
                                  "handle": f"{name}-{suffix}"})
        assert status == 201
        tokens[name] = body["token"]
    status, conversation = call(one, "POST", "/api/v1/conversations", token=tokens["cara"],
                                body={"to": [f"dev-{suffix}"], "body": "first"})
    assert status == 201
    # Dev signs in to the second instance with a browser session and opens the stream there.
    parsed = urllib.parse.urlparse(two)
    signin = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    signin.request("GET", "/signin")
    reply = signin.getresponse()
    reply.read()
    csrf = re.search(r"kith_csrf=([^;]+)", reply.getheader("set-cookie") or "").group(1)
    form = urllib.parse.urlencode({"_csrf": csrf, "email": f"dev{suffix}@example.org", "password": "password-dev"})
    signin.request("POST", "/signin", body=form, headers={"content-type": "application/x-www-form-urlencoded",
                                                          "cookie": f"kith_csrf={csrf}"})
    reply = signin.getresponse()
    reply.read()
    session = re.search(r"kith_session=([^;]+)", reply.getheader("set-cookie") or "").group(1)

    stream = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    stream.request("GET", f"/messages/{conversation['id']}/live?after=1",
                   headers={"accept": "text/event-stream", "cookie": f"kith_session={session}"})
    response = stream.getresponse()
    assert response.status == 200
    assert response.getheader("content-type").startswith("text/event-stream")
    received = []

    def read():
        while True:
            line = response.fp.readline()
            if not line:
                return
            received.append((time.time(), line.decode()))
            if "through the first instance" in line.decode():
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)
    sent_at = time.time()
    status, _ = call(one, "POST", f"/api/v1/conversations/{conversation['id']}/messages", token=tokens["cara"],
                     body={"body": "through the first instance"})
    assert status == 201
    reader.join(timeout=5)
    arrived = [at for at, line in received if "through the first instance" in line]
    assert arrived, f"nothing arrived: {received}"
    assert arrived[0] - sent_at < 1.0, f"took {arrived[0] - sent_at:.2f} s"
    assert any(line.startswith("id: 2") for _, line in received)
    stream.close()


def test_an_instance_restarted_from_its_word_index_file_sees_what_changed_while_it_was_down():
    """An instance keeps its word index in a file (`--word-index-file`) and reads it back when it
    starts again; what changed through the other instance meanwhile — a headline, a section hidden,
    a newcomer — is applied before it answers a search."""
    directory = tempfile.mkdtemp(prefix="kith-word-index-")
    files = [os.path.join(directory, "one"), os.path.join(directory, "two")]
    logs = [tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")]
    ports = [free_port(), free_port()]
    arguments = lambda file: ("--word-index-file", file, "--log-level", "info")
    first = start(ports[0], logs[0], *arguments(files[0]))
    second = start(ports[1], logs[1], *arguments(files[1]))
    one, two = [f"http://127.0.0.1:{port}" for port in ports]
    suffix = str(int(time.time() * 1000))[-7:]
    words = {name: f"{name}{suffix}" for name in ("old", "new", "hidden", "newcomer")}
    try:
        status, ada = call(one, "POST", "/api/v1/auth/register", body={
            "email": f"ada{suffix}@example.org", "password": "password-ada", "name": "Ada", "handle": f"ada-{suffix}"})
        assert status == 201
        assert call(one, "PATCH", "/api/v1/me/profile", token=ada["token"], body={
            "headline": f"Engineer {words['old']}", "skills": [words["hidden"]], "visibility": {"skills": "community"}})[0] == 200
        found = lambda base, word: [item["handle"] for item in call(base, "GET", f"/api/v1/members?q={word}", token=ada["token"])[1]["items"]]
        assert found(two, words["old"]) == [f"ada-{suffix}"]
        assert found(two, words["hidden"]) == [f"ada-{suffix}"]

        second.terminate()
        second.wait(timeout=30)
        assert os.path.getsize(files[1]) > 0, "the index was not written at shutdown"
        assert call(one, "PATCH", "/api/v1/me/profile", token=ada["token"], body={
            "headline": f"Engineer {words['new']}", "visibility": {"skills": "only_me"}})[0] == 200
        status, _ = call(one, "POST", "/api/v1/auth/register", body={
            "email": f"cy{suffix}@example.org", "password": "password-cy", "name": f"Cy {words['newcomer']}", "handle": f"cy-{suffix}"})
        assert status == 201

        second = start(ports[1], logs[2], *arguments(files[1]))
        logs[2].seek(0)
        started = logs[2].read()
        assert "read from its file" in started and "changes applied since" in started, started
        assert found(two, words["old"]) == []
        assert found(two, words["new"]) == [f"ada-{suffix}"]
        assert found(two, words["hidden"]) == [], "a section hidden while the instance was down is still matched"
        assert found(two, words["newcomer"]) == [f"cy-{suffix}"]
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(timeout=30)
