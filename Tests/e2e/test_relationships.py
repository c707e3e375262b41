"""The private relationship manager in a real browser, and reminders arriving by SMTP."""
import time

from selenium.webdriver.common.by import By

from conftest import wait_until_replaced, screenshot
from test_foundation import DEMO_EMAIL, DEMO_PASSWORD, check_page_basics, sign_in, wait_for_path
from test_network import sign_out, sign_up


def submit(browser, selector):
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, selector).click()
    wait_until_replaced(browser, page)


def test_add_a_contact_log_an_interaction_and_keep_it_private(server, browser):
    sign_up(browser, server, "rita-rm")
    browser.get(server + "/contacts/new")
    browser.find_element(By.ID, "name").send_keys("Grace Hopper")
    browser.find_element(By.ID, "emails").send_keys("not-an-email")
    browser.find_element(By.ID, "tags").send_keys("close, navy")
    submit(browser, "form[action='/contacts'] button.primary")
    # The bad email is reported beside its field and nothing else is lost.
    assert "email address" in browser.find_element(By.ID, "emails-error").text
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Grace Hopper"
    email = browser.find_element(By.ID, "emails")
    email.clear()
    email.send_keys("grace@navy.example")
    browser.find_element(By.ID, "notes").send_keys("Nanosecond wire story")
    submit(browser, "form[action='/contacts'] button.primary")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Grace Hopper")
    contact_path = browser.current_url.replace(server, "")

    browser.find_element(By.ID, "note").send_keys("Coffee about compilers")
    submit(browser, "form[action$='/interactions'] button.primary")
    assert "Coffee about compilers" in browser.find_element(By.ID, "timeline").text
    browser.find_element(By.ID, "text").send_keys("Send the COBOL paper")
    browser.find_element(By.ID, "due_at").send_keys("01012030")
    submit(browser, "form[action$='/follow-ups'] button")
    assert "Send the COBOL paper" in browser.find_element(By.ID, "follow-ups").text
    check_page_basics(browser)
    screenshot(browser, "contact")

    browser.get(server + "/contacts")
    assert "Grace Hopper" in browser.find_element(By.CSS_SELECTOR, "ul.contacts").text
    check_page_basics(browser)
    sign_out(browser)

    # Another member reaches none of it.
    sign_up(browser, server, "sam-snoop")
    browser.get(server + contact_path)
    assert "Nanosecond" not in browser.page_source
    assert "not found" in browser.page_source.lower()
    browser.get(server + "/contacts?q=grace")
    assert "Grace Hopper" not in browser.page_source


def test_demo_keep_in_touch_dashboard_and_import(server, browser, tmp_path):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/keep-in-touch")
    assert browser.find_elements(By.CSS_SELECTOR, "#dormant li"), "the demo has dormant ties worth reviving"
    assert "Hi " in browser.find_element(By.CSS_SELECTOR, "#dormant blockquote.message").text
    check_page_basics(browser)
    screenshot(browser, "keep-in-touch")
    due = browser.find_elements(By.CSS_SELECTOR, "#due li, #overdue li")
    assert due, "the demo has someone due"
    before = len(due)
    submit(browser, "#due li form[action$='/done'] button, #overdue li form[action$='/done'] button")
    wait_for_path(browser, "/keep-in-touch")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#due li, #overdue li")) == before - 1

    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "Notes:\n\"Some emails may be missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Katherine,Johnson,https://example.org/kj,kj@nasa.example,NASA,Mathematician,15 Mar 2021\n"
        ",,https://example.org/none,,,,01 Jan 2020\n"
    )
    browser.get(server + "/contacts/import")
    browser.find_element(By.ID, "file").send_keys(str(csv))
    submit(browser, "form[action='/contacts/import'] button.primary")
    report = browser.find_element(By.ID, "report").text
    assert "1 created" in report
    assert "Line 6" in report
    check_page_basics(browser)
    screenshot(browser, "import-report")


def test_reminders_are_delivered_by_smtp(server, smtp):
    deadline = time.time() + 60

    def reminders():
        return [m for m in smtp.messages if "/contacts/" in m["data"]]

    while time.time() < deadline and not reminders():
        time.sleep(0.5)
    assert reminders(), "reminder emails reach the SMTP server"
    message = reminders()[0]
    assert message["to"] == [DEMO_EMAIL]
    assert "Subject: " in message["data"]
    assert server + "/contacts/" in message["data"]
    # Notices from events (a reunion invitation for the demo member's class) arrive the same way.
    assert any(server + "/events/" in m["data"] for m in smtp.messages)
