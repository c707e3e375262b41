"""What a person sees: sign up, edit the profile and its visibility, search the directory."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import wait_until_replaced, screenshot

DEMO_EMAIL = "demo@kith.example"
DEMO_PASSWORD = "kith-demo-2026"


def click_and_wait(driver, element):
    """Clicks a submit button and waits until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait_until_replaced(driver, page)


def wait_for_path(driver, path):
    """Waits until the browser has followed the form's redirect to `path`."""
    WebDriverWait(driver, 10).until(lambda d: d.current_url.split("#")[0].split("?")[0].endswith(path))


def check_page_basics(driver):
    """A title, exactly one h1, a label for every visible input, and no console errors."""
    assert driver.title.endswith("· Kith"), driver.title
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    for element in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
        element_id = element.get_attribute("id")
        labelled = element_id and driver.find_elements(By.CSS_SELECTOR, f"label[for='{element_id}']")
        wrapped = element.find_elements(By.XPATH, "ancestor::label")
        assert labelled or wrapped, f"unlabelled input {element.get_attribute('name')} on {driver.current_url}"
    # A page's own 4xx status (a form shown again with its errors) is expected; anything else
    # severe (a script error, a missing stylesheet or icon) is a bug.
    def is_document_status(entry):
        if entry["source"] != "network":
            return False
        path = entry["message"].split(" ")[0].split("?")[0].rsplit("/", 1)[-1]
        return "." not in path

    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and not is_document_status(entry)]
    assert not errors, errors


def sign_in(driver, server, email, password):
    driver.get(server + "/signin")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]").click()
    wait_until_replaced(driver, page)


def test_landing_page(server, browser):
    browser.get(server + "/")
    assert "Your community's professional network" in browser.find_element(By.TAG_NAME, "h1").text
    check_page_basics(browser)
    screenshot(browser, "landing")


def test_sign_up_edit_profile_and_visibility(server, browser):
    browser.get(server + "/signup")
    check_page_basics(browser)
    browser.find_element(By.ID, "name").send_keys("Grace Tester")
    browser.find_element(By.ID, "handle").send_keys("grace-tester")
    browser.find_element(By.ID, "email").send_keys("not-an-email")
    browser.find_element(By.ID, "password").send_keys("short")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.primary"))
    assert "must be an email address" in browser.find_element(By.ID, "email-error").text
    assert "at least 8 characters" in browser.find_element(By.ID, "password-error").text
    screenshot(browser, "signup-errors")

    email = browser.find_element(By.ID, "email")
    email.clear()
    email.send_keys("grace@example.org")
    browser.find_element(By.ID, "password").send_keys("a long enough password")
    browser.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for_path(browser, "/me/edit")
    check_page_basics(browser)

    browser.find_element(By.ID, "headline").send_keys("Data engineer looking for a mentor")
    Select(browser.find_element(By.ID, "career_stage")).select_by_value("early_career")
    browser.find_element(By.ID, "skills").send_keys("Python, Data engineering")
    browser.find_element(By.ID, "bio").send_keys("A private note about me")
    browser.find_element(By.CSS_SELECTOR, "input[name=open_to][value=being_mentored]").click()
    Select(browser.find_element(By.ID, "visibility.bio")).select_by_value("only_me")
    screenshot(browser, "edit-profile")
    browser.find_element(By.CSS_SELECTOR, "form[action='/me/edit'] button.primary").click()

    wait_for_path(browser, "/in/grace-tester")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Data engineer looking for a mentor" in page
    assert "Visible to: Only me" in page
    assert "Open to: Being mentored" in page
    check_page_basics(browser)
    screenshot(browser, "my-profile")

    browser.get(server + "/me/edit")
    browser.find_element(By.ID, "organization").send_keys("Northfield University")
    browser.find_element(By.ID, "cohort").send_keys("Class of 2024")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/me/affiliations'] button"))
    assert "Northfield University" in browser.find_element(By.ID, "affiliations").text

    # Another member sees the headline but never the only-me bio.
    browser.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
    wait_for_path(browser, "/")
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "/in/grace-tester")
    other = browser.find_element(By.TAG_NAME, "main").text
    assert "Data engineer looking for a mentor" in other
    assert "A private note about me" not in other


def test_directory_search_and_filters(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    assert "Hello, Dana" in browser.find_element(By.TAG_NAME, "h1").text
    check_page_basics(browser)
    screenshot(browser, "home")

    browser.get(server + "/directory")
    browser.find_element(By.ID, "q").send_keys("engineer")
    browser.find_element(By.CSS_SELECTOR, "form[role=search] button.primary").click()
    WebDriverWait(browser, 10).until(lambda d: "q=engineer" in d.current_url)
    people = browser.find_elements(By.CSS_SELECTOR, "li.person")
    assert people, "a search for 'engineer' finds members"
    assert any("Engineer" in person.text for person in people)
    check_page_basics(browser)
    screenshot(browser, "directory")

    browser.get(server + "/directory?open_to=mentoring&career_stage=senior")
    seniors = browser.find_elements(By.CSS_SELECTOR, "li.person")
    assert seniors and all("Senior" in person.text for person in seniors)

    browser.get(server + "/directory?q=zzzzqqq")
    assert "No members match" in browser.find_element(By.TAG_NAME, "main").text


def test_wrong_password_is_shown_on_the_form(server, browser):
    sign_in(browser, server, DEMO_EMAIL, "not the password")
    assert "The email or password is not right." in browser.find_element(By.CSS_SELECTOR, ".form-errors").text
    check_page_basics(browser)


def test_phone_layout_has_no_horizontal_scroll(server, browser):
    browser.set_window_size(390, 844)
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    for path in ["/", "/directory?q=python", "/in/demo", "/me/edit", "/contacts", "/keep-in-touch", "/events", "/events/attended"]:
        browser.get(server + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 392, f"{path} is {width}px wide on a phone"
    screenshot(browser, "phone-profile")
