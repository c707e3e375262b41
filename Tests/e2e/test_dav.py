"""CardDAV and CalDAV with real clients, installed from PyPI by this test into their own virtual
environment: vdirsyncer syncs a member's Kith address book both ways with a local folder (create,
edit and delete on each side, and a conflict); the caldav library finds the calendar from the
server address alone, asks time ranges and is refused writes; caldav-server-tester probes the
read-only CalDAV features. vobject reads every card the sync wrote."""
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import pytest

from conftest import ARTIFACTS, ROOT

# Pinned, so a new release of a client cannot change what this test means.
TOOLS = ["vdirsyncer==0.21.0", "caldav==3.6.0", "vobject==0.9.9", "caldav-server-tester==1.7.0"]


@pytest.fixture(scope="session")
def dav_tools():
    venv = os.path.join(ROOT, ".venv-dav")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *TOOLS], check=True)
    return os.path.join(venv, "bin")


def api(server, method, path, token=None, body=None, headers=None):
    request = urllib.request.Request(server + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.startswith("{") else text)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def dav_get(server, path, handle, password):
    request = urllib.request.Request(server + path)
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{handle}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture()
def member(server):
    """A new member with an app password, two contacts, an event they organise and a follow-up."""
    handle = "dav" + os.urandom(3).hex()
    status, registered = api(server, "POST", "/api/v1/auth/register", body={
        "name": "Dav Tester", "handle": handle, "email": f"{handle}@example.org", "password": "a long enough password"})
    assert status == 201, registered
    token = registered["token"]
    status, made = api(server, "POST", "/api/v1/me/app-passwords", token, {"label": "vdirsyncer"})
    assert status == 201, made
    contacts = {}
    for name, title in [("Ada Lovelace", "Analyst"), ("Alan Turing", "Mathematician")]:
        status, contact = api(server, "POST", "/api/v1/contacts", token, {"name": name, "title": title, "emails": [f"{name.split()[0].lower()}@example.org"]})
        assert status == 201, contact
        contacts[name] = contact["id"]
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
    status, event = api(server, "POST", "/api/v1/events", token, {
        "title": "DAV reunion", "description": "Old friends", "format": "meetup",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timezone": "Europe/London", "location": "The hall", "capacity": 20})
    assert status == 201, event
    due = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, followed = api(server, "POST", f"/api/v1/contacts/{contacts['Ada Lovelace']}/follow-ups", token, {"due_at": due, "text": "Send the notes"})
    assert status == 201, followed
    return {"handle": handle, "token": token, "password": made["password"], "contacts": contacts, "event": event["id"]}


def vdirsyncer(tools, config, *args, answer=None):
    result = subprocess.run([os.path.join(tools, "vdirsyncer"), "-c", config, *args], input=answer, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def read_cards(tools, folder):
    """Each local card as vobject reads it: {file name: (FN, UID, TITLE or '')}."""
    script = (
        "import json, os, sys, vobject\n"
        "out = {}\n"
        "for name in sorted(os.listdir(sys.argv[1])):\n"
        "    card = vobject.readOne(open(os.path.join(sys.argv[1], name), encoding='utf-8').read())\n"
        "    out[name] = [card.fn.value, card.uid.value, card.title.value if hasattr(card, 'title') else '']\n"
        "print(json.dumps(out))\n"
    )
    output = subprocess.run([os.path.join(tools, "python"), "-c", script, folder], capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def test_vdirsyncer_syncs_both_ways(server, dav_tools, member):
    work = tempfile.mkdtemp(prefix="kith-vdirsyncer-")
    config = os.path.join(work, "config")
    with open(config, "w") as file:
        file.write(f"""[general]
status_path = "{work}/status/"

[pair contacts]
a = "kith"
b = "local"
collections = ["from a"]
conflict_resolution = null

[storage kith]
type = "carddav"
url = "{server}/"
username = "{member['handle']}"
password = "{member['password']}"

[storage local]
type = "filesystem"
path = "{work}/contacts/"
fileext = ".vcf"
""")
    code, output = vdirsyncer(dav_tools, config, "discover", "contacts", answer="y\n")
    assert code == 0, output
    assert '"contacts" ("Kith contacts")' in output, output
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0, output
    folder = os.path.join(work, "contacts", "contacts")
    cards = read_cards(dav_tools, folder)
    assert sorted(card[0] for card in cards.values()) == ["Ada Lovelace", "Alan Turing"]

    # Made on the phone side, with what Kith does not model: in Kith at once, and back line for line.
    local = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:local-grace\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
             "EMAIL;TYPE=work:grace@example.org\r\nBDAY:1906-12-09\r\nitem1.X-ABLabel:Admiral\r\n"
             "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg==\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Amazing Grace\r\nEND:VCARD\r\n")
    with open(os.path.join(folder, "local-grace.vcf"), "w", newline="") as file:
        file.write(local)
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0 and "local-grace" in output, output
    status, listed = api(server, "GET", "/api/v1/contacts?q=Grace", member["token"])
    assert [item["name"] for item in listed["items"]] == ["Grace Hopper"]
    grace = listed["items"][0]["id"]
    status, fetched = dav_get(server, f"/dav/addressbooks/{member['handle']}/contacts/local-grace.vcf", member["handle"], member["password"])
    assert status == 200 and fetched == local

    # Edited in Kith: the local file gains the change and keeps the photo, birthday and label.
    status, _ = api(server, "PATCH", f"/api/v1/contacts/{grace}", member["token"], {"title": "Rear Admiral"})
    assert status == 200
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0, output
    text = open(os.path.join(folder, "local-grace.vcf"), encoding="utf-8").read()
    for kept in ["BDAY:1906-12-09", "item1.X-ABLabel:Admiral", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ", "X-ANDROID-CUSTOM:", "TITLE:Rear Admiral"]:
        assert kept in text, (kept, text)

    # Edited locally: Kith's contact follows.
    ada_file = next(name for name, card in read_cards(dav_tools, folder).items() if card[0] == "Ada Lovelace")
    path = os.path.join(folder, ada_file)
    text = open(path, encoding="utf-8").read().replace("FN:Ada Lovelace", "FN:Ada King, Countess of Lovelace")
    with open(path, "w", newline="") as file:
        file.write(text)
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0, output
    status, detail = api(server, "GET", f"/api/v1/contacts/{member['contacts']['Ada Lovelace']}", member["token"])
    assert detail["contact"]["name"] == "Ada King, Countess of Lovelace"

    # Deleted locally: gone from Kith. Deleted in Kith: gone locally.
    turing_file = next(name for name, card in read_cards(dav_tools, folder).items() if card[0] == "Alan Turing")
    os.remove(os.path.join(folder, turing_file))
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0, output
    status, _ = api(server, "GET", f"/api/v1/contacts/{member['contacts']['Alan Turing']}", member["token"])
    assert status == 404
    status, _ = api(server, "DELETE", f"/api/v1/contacts/{grace}", member["token"])
    assert status == 204
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code == 0, output
    assert "local-grace.vcf" not in os.listdir(folder)

    # Both sides change the same card: vdirsyncer stops on the conflict (it is told the ETag no
    # longer matches); neither side is garbled and Kith keeps its own edit.
    status, _ = api(server, "PATCH", f"/api/v1/contacts/{member['contacts']['Ada Lovelace']}", member["token"], {"title": "Kith side"})
    assert status == 200
    text = open(path, encoding="utf-8").read().replace("TITLE:Analyst", "TITLE:Phone side")
    with open(path, "w", newline="") as file:
        file.write(text)
    code, output = vdirsyncer(dav_tools, config, "sync")
    assert code != 0 and "conflict" in output.lower(), output
    status, detail = api(server, "GET", f"/api/v1/contacts/{member['contacts']['Ada Lovelace']}", member["token"])
    assert detail["contact"]["title"] == "Kith side"
    assert read_cards(dav_tools, folder)[ada_file][2] == "Phone side"


CALDAV_PROBE = """
import caldav, datetime, json, sys
url, user, password = sys.argv[1:4]
client = caldav.DAVClient(url=url, username=user, password=password)
principal = client.principal()
calendars = principal.calendars()
calendar = calendars[0]
now = datetime.datetime.now(datetime.timezone.utc)
def summaries(found):
    return sorted(str(item.icalendar_component.get("summary")) for item in found)
out = {
    "calendars": [c.get_display_name() for c in calendars],
    "next_week": summaries(calendar.search(start=now, end=now + datetime.timedelta(days=7), event=True)),
    "in_a_year": summaries(calendar.search(start=now + datetime.timedelta(days=365), end=now + datetime.timedelta(days=366), event=True)),
    "todos": summaries(calendar.todos()),
}
try:
    calendar.save_event("BEGIN:VCALENDAR\\nVERSION:2.0\\nPRODID:-//test//EN\\nBEGIN:VEVENT\\nUID:from-client\\nDTSTAMP:20261201T000000Z\\n"
                        "DTSTART:20261210T100000Z\\nDTEND:20261210T110000Z\\nSUMMARY:From a client\\nEND:VEVENT\\nEND:VCALENDAR\\n")
    out["write"] = "accepted"
except Exception as error:
    out["write"] = type(error).__name__
print(json.dumps(out))
"""


def test_caldav_client_finds_the_calendar_and_reads_time_ranges(server, dav_tools, member):
    result = subprocess.run(
        [os.path.join(dav_tools, "python"), "-c", CALDAV_PROBE, server + "/", member["handle"], member["password"]],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["calendars"] == ["Kith"]
    assert "DAV reunion" in found["next_week"] and "Networking time (Kith)" in found["next_week"]
    assert "DAV reunion" not in found["in_a_year"]
    assert found["todos"] == ["Follow up with Ada Lovelace: Send the notes"]
    assert found["write"] == "AuthorizationError", found
    # Another member's app password reaches nothing of this member's.
    status, other = api(server, "POST", "/api/v1/auth/register", body={
        "name": "Other", "handle": member["handle"] + "x", "email": member["handle"] + "x@example.org", "password": "a long enough password"})
    status, made = api(server, "POST", "/api/v1/me/app-passwords", other["token"], {"label": "other"})
    status, text = dav_get(server, f"/dav/calendars/{member['handle']}/events/weekly-plan.ics", member["handle"] + "x", made["password"])
    assert status == 404 and "Networking" not in text


# The checks of caldav-server-tester that need no writes, and the features each must find full.
READ_ONLY_CHECKS = {
    "CheckGetCurrentUserPrincipal": ["get-current-user-principal"],
    "CheckPropfindAllprop": ["propfind", "propfind.allprop", "propfind.allprop.resourcetype", "propfind.principal-depth-1"],
    "CheckWWWAuthenticate": ["auth.www-authenticate", "auth.www-authenticate.usable-scheme"],
    "CheckFreeBusyQuery": ["freebusy-query"],
}


def test_caldav_server_tester_read_only_checks_pass(server, dav_tools, member):
    found = {}
    for check in READ_ONLY_CHECKS:
        result = subprocess.run(
            [os.path.join(dav_tools, "caldav-server-tester"), "--caldav-url", server + "/", "--caldav-username", member["handle"],
             "--caldav-password", member["password"], "--caldav-calendar", "Kith", "--format", "text", "--verbose", "--run-checks", check],
            capture_output=True, text=True, timeout=300)
        for feature, level in re.findall(r"^## (\S+)\nFeature support level found: (\S+)", result.stdout, re.MULTILINE):
            found[feature] = level
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, "caldav-server-tester.json"), "w") as file:
        json.dump(found, file, indent=2, sort_keys=True)
    for check, features in READ_ONLY_CHECKS.items():
        for feature in features:
            assert found.get(feature) == "full", f"{check}: {feature} is {found.get(feature)}"
    # Writes are what a read-only calendar refuses: the tester finds them unsupported, not broken.
    assert found.get("create-calendar") == "unsupported"
