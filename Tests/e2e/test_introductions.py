"""A double opt-in introduction between three Chromium sessions: the asker starts it from the
target's profile, the connector forwards it with a note, the target accepts, and all three land in
one conversation. The target sees nothing before it is forwarded; the asker never reads who passed."""
import json
import shutil
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import screenshot, wait_until_replaced
from test_foundation import check_page_basics
from test_network import sign_up

PASSWORD = "a long enough password"


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=412,915"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


@pytest.fixture()
def connector_browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture()
def target_browser():
    driver = chromium()
    yield driver
    driver.quit()


def api(server, method, path, token=None, body=None):
    request = urllib.request.Request(server + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as reply:
        text = reply.read().decode()
        return json.loads(text) if text else {}


def token(server, handle):
    return api(server, "POST", "/api/v1/auth/token", body={"email": f"{handle}@example.org", "password": PASSWORD})["token"]


def connect(server, first, second):
    request = api(server, "POST", "/api/v1/connections/requests", token(server, first), {"to": second})
    api(server, "POST", f"/api/v1/connections/requests/{request['id']}/accept", token(server, second))


def click(driver, xpath):
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, xpath).click()
    wait_until_replaced(driver, page)


def test_an_introduction_between_three_members(server, browser, connector_browser, target_browser):
    asker, connector, target = browser, connector_browser, target_browser
    sign_up(asker, server, "asha-intro")
    sign_up(connector, server, "bo-intro")
    sign_up(target, server, "cleo-intro")
    connect(server, "asha-intro", "bo-intro")
    connect(server, "bo-intro", "cleo-intro")

    # Asha starts from Cleo's profile: the warm path names Bo and opens the form with him chosen.
    asker.get(server + "/in/cleo-intro")
    asker.find_element(By.LINK_TEXT, "Ask Bo Intro for an introduction").click()
    assert Select(asker.find_element(By.ID, "via")).first_selected_option.get_attribute("value") == "bo-intro"
    Select(asker.find_element(By.ID, "purpose")).select_by_value("advice")
    asker.find_element(By.ID, "blurb").send_keys("Asha runs analytics at a charity and is moving into data engineering.")
    asker.find_element(By.ID, "ask").send_keys("Twenty minutes on how your team works?")
    check_page_basics(asker)
    click(asker, "//button[normalize-space()='Ask for the introduction']")
    introduction = asker.current_url
    assert "/introductions/" in introduction
    assert "Waiting" in asker.find_element(By.CSS_SELECTOR, ".badge").text

    # Cleo sees nothing yet: not in her list, and the address itself is not found.
    target.get(server + "/introductions?role=target")
    assert "No introductions to you yet." in target.find_element(By.TAG_NAME, "main").text
    target.get(introduction)
    assert "not found" in target.find_element(By.TAG_NAME, "main").text.lower()

    # Bo finds it waiting (home page and list), sees privately how he knows each side, forwards it.
    connector.get(server + "/")
    assert "introduction waiting for your answer" in connector.find_element(By.TAG_NAME, "main").text
    connector.get(server + "/introductions?role=connector")
    connector.find_element(By.PARTIAL_LINK_TEXT, "Asha Intro asks you to introduce them").click()
    assert "How you know them (only you see this)" in connector.find_element(By.TAG_NAME, "main").text
    check_page_basics(connector)
    screenshot(connector, "introduction-connector-phone")
    connector.find_element(By.ID, "note").send_keys("Asha is thoughtful; I think you two would get on.")
    click(connector, "//button[normalize-space()='Forward to Cleo Intro']")
    assert "Forwarded" in connector.find_element(By.CSS_SELECTOR, ".badge").text

    # Cleo now sees it with Bo's note, and accepts: the conversation of three opens.
    target.get(server + "/introductions?role=target")
    target.find_element(By.PARTIAL_LINK_TEXT, "Bo Intro would like to introduce you to Asha Intro").click()
    assert "Asha is thoughtful" in target.find_element(By.TAG_NAME, "main").text
    check_page_basics(target)
    click(target, "//button[normalize-space()='Accept the introduction']")
    assert "/messages/" in target.current_url
    thread = target.find_element(By.ID, "messages").text
    assert "Asha runs analytics at a charity" in thread

    # Asha reads "Introduced", opens the same conversation, and says what came of it.
    asker.get(introduction)
    assert "Introduced" in asker.find_element(By.CSS_SELECTOR, ".badge").text
    asker.find_element(By.LINK_TEXT, "Open the conversation of three").click()
    assert asker.current_url.split("#")[0] == target.current_url.split("#")[0]
    asker.get(introduction)
    Select(asker.find_element(By.ID, "outcome")).select_by_value("met")
    click(asker, "//button[normalize-space()='Save']")
    assert "You said: We met." in asker.find_element(By.TAG_NAME, "main").text
    check_page_basics(asker)
    screenshot(asker, "introduction-asker-phone")
