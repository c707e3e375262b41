"""The weekly plan email through a real SMTP conversation (the test's own server), parsed with
Python's `email` package, with a one-click unsubscribe that works once; the calendar feed's weekly
event read by `icalendar`; and each member's weekly email sent once across a kill -9 of the server
while the emails go out."""
import collections
import email
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import icalendar
import pytest

from conftest import ROOT, FakeSMTPServer, free_port

SUBJECT = "Your networking plan for this week"


@pytest.fixture()
def mailbox():
    fake = FakeSMTPServer()
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.shutdown()


def start_server(data, port, smtp_port, *extra):
    binary = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))
    log = open(os.path.join(data, f"serve-{time.time()}.log"), "w+")
    process = subprocess.Popen(
        [binary, "serve", "--data-dir", data, "--port", str(port), "--bcrypt-cost", "4", "--log-level", "warning",
         "--registrations-per-hour", "0", "--weekly-plan-every", "5", "--mail-url", f"smtp://127.0.0.1:{smtp_port}", *extra],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        log.seek(0)
        if "Kith listening on http://" in log.read():
            return process
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    log.seek(0)
    raise RuntimeError(log.read())


def call(base, method, path, token=None, body=None, raw=None, headers=None):
    data = json.dumps(body).encode() if body is not None else raw
    request = urllib.request.Request(base + path, method=method, data=data)
    if body is not None:
        request.add_header("content-type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def register(base, handle, name):
    status, text = call(base, "POST", "/api/v1/auth/register",
                        body={"email": f"{handle}@example.org", "password": f"password-{handle}", "name": name, "handle": handle})
    assert status == 201, text
    return json.loads(text)["token"]


def weekly_emails(mailbox, to=None):
    found = []
    for message in list(mailbox.messages):
        parsed = email.message_from_string(message["data"], policy=email.policy.default)
        if parsed["Subject"] == SUBJECT and (to is None or parsed["To"] == to):
            found.append(parsed)
    return found


def test_the_weekly_email_arrives_parses_and_unsubscribes_in_one_click(mailbox):
    data = tempfile.mkdtemp(prefix="kith-plan-")
    port = free_port()
    server = start_server(data, port, mailbox.server_address[1])
    base = f"http://127.0.0.1:{port}"
    try:
        ada = register(base, "ada-plan", "Ada Plan")
        bob = register(base, "bob-plan", "Bob Plan")
        # Ada's slot is Monday 00:00 UTC: it has come, whatever day this week the test runs.
        status, _ = call(base, "PUT", "/api/v1/me/weekly-plan/slot", token=ada,
                         body={"weekday": 1, "time": "00:00", "timezone": "UTC", "minutes": 30})
        assert status == 200
        status, _ = call(base, "POST", "/api/v1/conversations", token=bob,
                         body={"to": ["ada-plan"], "body": "words-that-stay-private-9931"})
        assert status == 201

        deadline = time.time() + 90
        while time.time() < deadline and not weekly_emails(mailbox, "ada-plan@example.org"):
            time.sleep(0.5)
        found = weekly_emails(mailbox, "ada-plan@example.org")
        assert len(found) == 1, [m["data"][:300] for m in mailbox.messages]
        message = found[0]
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Bob Plan wrote to you for the first time" in text
        assert "Bob Plan wrote to you for the first time" in html
        assert "words-that-stay-private-9931" not in message.as_string()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.match(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        assert "/unsubscribe/" in link

        # The mail program's one-click POST (RFC 8058): no cookie, no form token.
        path = link[link.index("/unsubscribe/"):]
        status, _ = call(base, "POST", path, raw=b"List-Unsubscribe=One-Click",
                         headers={"content-type": "application/x-www-form-urlencoded"})
        assert status == 200
        status, settings = call(base, "GET", "/api/v1/me/notification-settings", token=ada)
        assert json.loads(settings)["weekly_plan"]["email"] == "off"
        status, page = call(base, "POST", path, raw=b"List-Unsubscribe=One-Click",
                            headers={"content-type": "application/x-www-form-urlencoded"})
        assert status == 409 and "already been used" in page

        # The calendar feed holds the slot as a weekly event.
        status, body = call(base, "POST", "/api/v1/me/calendar", token=ada)
        feed_url = json.loads(body)["url"]
        status, ics = call(base, "GET", feed_url[feed_url.index("/calendar/"):])
        assert status == 200
        calendar = icalendar.Calendar.from_ical(ics)
        weekly = [event for event in calendar.walk("VEVENT") if "RRULE" in event]
        assert len(weekly) == 1
        rule = weekly[0]["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO"]
        begins = weekly[0].decoded("DTSTART")
        assert (begins.hour, begins.minute) == (0, 0) and begins.weekday() == 0
        assert weekly[0].decoded("DURATION").total_seconds() == 30 * 60
        assert "Messages waiting for an answer" in str(weekly[0]["DESCRIPTION"])
        assert "Bob" not in str(weekly[0]["DESCRIPTION"])
    finally:
        server.terminate()
        server.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)


def test_each_member_gets_one_weekly_email_across_a_kill_during_delivery(mailbox):
    data = tempfile.mkdtemp(prefix="kith-plan-crash-")
    port = free_port()
    server = start_server(data, port, mailbox.server_address[1], "--demo", "--demo-members", "300")
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not weekly_emails(mailbox):
            time.sleep(0.2)
        assert weekly_emails(mailbox), "no weekly email went out"
        # Killed while the week's emails are being queued and sent.
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=15)
        before = len(weekly_emails(mailbox))
        server = start_server(data, port, mailbox.server_address[1], "--demo")
        # Let the restarted server finish the week. The killed server's job leases lapse after a
        # minute (that is how a crashed instance's work is taken over), so wait until nothing new
        # has arrived for 80 s.
        last_count, quiet_since = -1, time.time()
        deadline = time.time() + 300
        while time.time() < deadline:
            count = len(weekly_emails(mailbox))
            if count != last_count:
                last_count, quiet_since = count, time.time()
            elif time.time() - quiet_since > 80:
                break
            time.sleep(1)
        sent = weekly_emails(mailbox)
        ids = collections.defaultdict(set)
        for message in sent:
            ids[message["To"]].add(message["Message-ID"])
        twice = {to: found for to, found in ids.items() if len(found) > 1}
        assert not twice, f"members with two different weekly emails: {list(twice)[:5]}"
        # The restarted server went on: far more members than before the kill got theirs.
        assert len(ids) >= 100 and len(ids) > before, (before, len(ids))
    finally:
        server.terminate()
        server.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)
