"""Two members message each other in two Chromium sessions: the second sees the message arrive
without reloading; the pages also work with JavaScript off (the form posts and redirects)."""
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import screenshot, wait_until_replaced
from test_foundation import check_page_basics
from test_network import sign_out, sign_up


@pytest.fixture()
def second_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=412,915"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def send(driver, text):
    driver.find_element(By.ID, "body").send_keys(text)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.reply button[type=submit]").click()
    wait_until_replaced(driver, page)


def test_two_members_message_each_other_live(server, browser, second_browser):
    sign_up(second_browser, server, "milo-msg")
    sign_up(browser, server, "lena-msg")
    # Lena writes to Milo from his profile: a first message between strangers is a request.
    browser.get(server + "/in/milo-msg")
    browser.find_element(By.LINK_TEXT, "Message").click()
    browser.find_element(By.ID, "body").send_keys("Hello Milo, **welcome** to the community")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form[action='/messages'] button[type=submit]").click()
    wait_until_replaced(browser, page)
    conversation = browser.current_url.split("#")[0]
    assert "welcome" in browser.find_element(By.ID, "messages").text

    # Milo sees it waiting (the navigation counts it), accepts it and keeps the page open.
    second_browser.get(server + "/messages?box=requests")
    assert second_browser.find_element(By.CSS_SELECTOR, "nav .count").text.strip() == "1"
    second_browser.find_element(By.PARTIAL_LINK_TEXT, "Lena Msg").click()
    page = second_browser.find_element(By.TAG_NAME, "html")
    second_browser.find_element(By.XPATH, "//button[normalize-space()='Accept']").click()
    wait_until_replaced(second_browser, page)
    assert second_browser.current_url.split("#")[0] == conversation
    assert second_browser.find_element(By.CSS_SELECTOR, "#messages strong").text == "Lena Msg"
    check_page_basics(second_browser)

    # Lena writes again; Milo's open page shows it without a reload.
    milos_page = second_browser.find_element(By.TAG_NAME, "html")
    send(browser, "Are you coming to the reunion?")
    WebDriverWait(second_browser, 10).until(lambda d: "coming to the reunion" in d.find_element(By.ID, "messages").text)
    assert milos_page.is_displayed(), "the page was reloaded instead of updated"
    screenshot(second_browser, "messages-live-phone")

    # And the other way round.
    lenas_page = browser.find_element(By.TAG_NAME, "html")
    send(second_browser, "Yes, see you there")
    WebDriverWait(browser, 10).until(lambda d: "see you there" in d.find_element(By.ID, "messages").text)
    assert lenas_page.is_displayed()
    # Milo's reply counted as read on both sides: nothing waits in Lena's navigation.
    browser.get(server + "/messages")
    assert not browser.find_elements(By.CSS_SELECTOR, "nav .count")
    check_page_basics(browser)
    sign_out(browser)
