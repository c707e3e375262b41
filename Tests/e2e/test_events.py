"""Events in a real browser: RSVP into a full small circle and get waitlisted; iCalendar checked
with a real parser (the icalendar package); organise an event with errors beside the fields."""
import json
import urllib.request

from icalendar import Calendar
from selenium.webdriver.common.by import By

from conftest import screenshot
from test_foundation import DEMO_EMAIL, DEMO_PASSWORD, check_page_basics, sign_in
from test_relationships import submit


def api_token(server):
    body = json.dumps({"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(server + "/api/v1/auth/token", data=body, headers={"content-type": "application/json"})
    return json.load(urllib.request.urlopen(request))["token"]


def get(server, path, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return urllib.request.urlopen(urllib.request.Request(server + path, headers=headers))


def test_rsvp_to_a_full_small_circle_joins_the_waitlist(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/events?format=small_circle")
    check_page_basics(browser)
    screenshot(browser, "events")
    browser.find_element(By.CSS_SELECTOR, "li.event-row h2 a").click()
    assert "8 going of 8 places" in browser.find_element(By.TAG_NAME, "main").text
    submit(browser, "form[action$='/rsvp'] button.primary")
    status = browser.find_element(By.ID, "rsvp").text
    assert "You're on the waitlist, number 4 in line" in status, status
    check_page_basics(browser)
    screenshot(browser, "event-waitlisted")


def test_organise_an_event_with_errors_shown_beside_fields(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/events/new")
    browser.find_element(By.ID, "title").send_keys("Board games night")
    browser.execute_script("document.getElementById('starts_at').value = '2031-03-01T19:00'")
    browser.execute_script("document.getElementById('ends_at').value = '2031-03-01T18:00'")
    timezone = browser.find_element(By.ID, "timezone")
    timezone.clear()
    timezone.send_keys("Atlantis/Capital")
    submit(browser, "form[action='/events'] button.primary")
    assert "IANA" in browser.find_element(By.ID, "timezone-error").text
    assert browser.find_element(By.ID, "title").get_attribute("value") == "Board games night"
    timezone = browser.find_element(By.ID, "timezone")
    timezone.clear()
    timezone.send_keys("Europe/Paris")
    browser.execute_script("document.getElementById('ends_at').value = '2031-03-01T22:00'")
    submit(browser, "form[action='/events'] button.primary")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Board games night"
    assert "Check-in code" in browser.find_element(By.ID, "organiser").text
    check_page_basics(browser)


def test_icalendar_output_parses(server):
    token = api_token(server)
    events = json.load(get(server, "/api/v1/events?upcoming=true&limit=50", token))["items"]
    assert events
    event = events[0]
    calendar = Calendar.from_ical(get(server, f"/api/v1/events/{event['id']}.ics", token).read())
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 1
    assert str(vevents[0]["SUMMARY"]) == event["title"]
    assert vevents[0]["DTSTART"].dt.isoformat().replace("+00:00", "Z") == event["starts_at"]
    reset = urllib.request.Request(server + "/api/v1/me/calendar", method="POST", headers={"authorization": f"Bearer {token}"})
    feed_url = json.load(urllib.request.urlopen(reset))["url"]
    feed = Calendar.from_ical(urllib.request.urlopen(feed_url).read())
    titles = {str(component["SUMMARY"]) for component in feed.walk("VEVENT")}
    assert "Alumni Data Summit" in titles


def test_attendance_history_shows_the_past_event_and_its_check_in(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/events")
    browser.find_element(By.LINK_TEXT, "Attended").click()
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Spring mixer" in main and "Checked in" in main, main
    check_page_basics(browser)
    screenshot(browser, "events-attended")
    history = json.load(get(server, "/api/v1/me/attendance", api_token(server)))["items"]
    assert [item["title"] for item in history] == ["Spring mixer"]
    assert history[0]["checked_in"] is True
