"""Connect and accept in a real browser; how you're connected; people you may know."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import wait_until_replaced, screenshot
from test_foundation import DEMO_EMAIL, DEMO_PASSWORD, check_page_basics, sign_in, wait_for_path


def sign_up(browser, server, handle):
    browser.get(server + "/signup")
    browser.find_element(By.ID, "name").send_keys(handle.replace("-", " ").title())
    browser.find_element(By.ID, "handle").send_keys(handle)
    browser.find_element(By.ID, "email").send_keys(f"{handle}@example.org")
    browser.find_element(By.ID, "password").send_keys("a long enough password")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for_path(browser, "/me/edit")


def sign_out(browser):
    browser.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
    wait_for_path(browser, "/")


def test_connect_with_a_note_and_accept(server, browser):
    sign_up(browser, server, "nina-net")
    sign_out(browser)
    sign_up(browser, server, "omar-net")
    browser.get(server + "/in/nina-net")
    assert "Not yet connected" in browser.find_element(By.CSS_SELECTOR, ".relationship").text
    browser.find_element(By.CSS_SELECTOR, ".relationship details.connect summary").click()
    browser.find_element(By.ID, "note-nina-net").send_keys("We met at the reunion")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, ".relationship form[action='/network/requests'] button").click()
    wait_until_replaced(browser, page)
    browser.get(server + "/network")
    assert "Nina Net" in browser.find_element(By.ID, "outgoing").text
    assert "Pending" in browser.find_element(By.ID, "outgoing").text
    check_page_basics(browser)
    sign_out(browser)

    sign_in(browser, server, "nina-net@example.org", "a long enough password")
    browser.get(server + "/network")
    incoming = browser.find_element(By.ID, "incoming")
    assert "We met at the reunion" in incoming.text
    screenshot(browser, "network-inbox")
    page = browser.find_element(By.TAG_NAME, "html")
    incoming.find_element(By.XPATH, ".//button[normalize-space()='Accept']").click()
    wait_until_replaced(browser, page)
    assert "Omar Net" in browser.find_element(By.ID, "connections").text
    browser.get(server + "/in/omar-net")
    assert "1st" in browser.find_element(By.CSS_SELECTOR, ".relationship").text
    check_page_basics(browser)


def test_demo_member_sees_paths_and_suggestions(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/suggestions")
    cards = browser.find_elements(By.CSS_SELECTOR, "li.person")
    assert cards, "the demo member has suggestions"
    assert all(card.find_elements(By.CSS_SELECTOR, ".reasons li") for card in cards)
    check_page_basics(browser)
    screenshot(browser, "suggestions")
    cards[0].find_element(By.CSS_SELECTOR, "h2 a").click()
    WebDriverWait(browser, 10).until(lambda d: "/in/" in d.current_url)
    relationship = browser.find_element(By.CSS_SELECTOR, ".relationship").text
    assert "2nd" in relationship or "3rd" in relationship
    assert "Ask " in relationship and "for an introduction" in relationship
    screenshot(browser, "profile-relationship")
    browser.get(server + "/network")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#incoming li")) >= 1
    check_page_basics(browser)
