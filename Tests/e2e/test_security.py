"""Security checks that need a real server and real clients: the holes found against
`kith serve --demo` (issue #12), tried the way an attacker or an ordinary script would."""
import json
import socket
import threading
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from test_events import api_token
from test_foundation import DEMO_EMAIL, DEMO_PASSWORD, sign_in
from test_relationships import submit


def test_oversized_body_with_connection_close_gets_413_and_the_connection_ends(server):
    """An 8 MiB body sent without Expect: 100-continue and with Connection: close, as urllib and
    many scripts send it: the client must get the 413 and see the connection end, not hang."""
    token = api_token(server)
    host, port = server.replace("http://", "").split(":")
    body = b'{"name":"' + b"x" * (8 * 1024 * 1024) + b'"}'
    head = (
        f"POST /api/v1/contacts HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection((host, int(port)), timeout=20)
    sock.sendall(head)
    sent = {"error": None}

    def send_body():
        try:
            sock.sendall(body)
        except OSError as error:  # the server may close once it has answered and drained
            sent["error"] = error

    started = time.monotonic()
    writer = threading.Thread(target=send_body, daemon=True)
    writer.start()
    writer.join(timeout=20)
    assert not writer.is_alive(), "the client is still blocked sending its body after 20 s"
    reply = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        reply += chunk
    elapsed = time.monotonic() - started
    sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert elapsed < 20, f"the exchange took {elapsed:.1f} s"


def test_urllib_upload_over_the_limit_is_answered_not_hung(server):
    token = api_token(server)
    request = urllib.request.Request(
        server + "/api/v1/contacts",
        data=b"{" + b" " * (8 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json", "authorization": f"Bearer {token}", "connection": "close"},
    )
    started = time.monotonic()
    try:
        urllib.request.urlopen(request, timeout=20)
        raise AssertionError("an 8 MiB body was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 413
        assert error.headers["content-type"] == "application/problem+json"
    assert time.monotonic() - started < 20


def test_a_doubled_slash_does_not_let_the_cookie_reach_the_api(server, browser):
    """Signed in on the web, a cross-site form or an <img> aimed at //api/v1/contacts gets nothing."""
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    browser.get(server + "//api/v1/contacts")
    text = browser.find_element(By.TAG_NAME, "body").text
    assert browser.current_url == server + "/api/v1/contacts", browser.current_url
    assert json.loads(text)["status"] == 401, text
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    for path in ("//api/v1/contacts", "/api/v1/contacts", "/./api/v1/contacts"):
        request = urllib.request.Request(
            server + path, data=b'{"name":"Planted by a form"}', method="POST",
            headers={"content-type": "text/plain", "cookie": cookie},
        )
        try:
            urllib.request.urlopen(request)
            raise AssertionError(f"POST {path} with the session cookie was accepted")
        except urllib.error.HTTPError as error:
            assert error.code in (401, 404, 415), (path, error.code)


def test_private_pages_are_not_kept_in_the_browser_cache(server, browser):
    sign_in(browser, server, DEMO_EMAIL, DEMO_PASSWORD)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    for path in ("/contacts", "/keep-in-touch", "/network", "/me/edit", "/notifications"):
        response = urllib.request.urlopen(urllib.request.Request(server + path, headers={"cookie": cookie}))
        assert response.headers["cache-control"] == "no-store", (path, response.headers["cache-control"])
    # Back after signing out shows the sign-in page, not the notes.
    browser.get(server + "/contacts")
    submit(browser, "form[action='/signout'] button")
    browser.back()
    browser.refresh()
    assert "/signin" in browser.current_url, browser.current_url


def test_a_website_that_breaks_out_of_its_attribute_is_refused(server):
    token = api_token(server)
    payload = 'https://x.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><a x="'
    request = urllib.request.Request(
        server + "/api/v1/me/profile",
        data=json.dumps({"website": payload, "visibility": {"contact": "community"}}).encode(),
        method="PATCH",
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    try:
        urllib.request.urlopen(request)
        raise AssertionError("the website was accepted")
    except urllib.error.HTTPError as error:
        problem = json.load(error)
        assert error.code == 422
        assert problem["errors"][0]["field"] == "website", problem


def test_two_factor_sign_in_with_a_real_authenticator(server, browser):
    """pyotp stands in for the member's phone: it reads the otpauth address Kith shows."""
    import pyotp

    email, password = "totp-e2e@example.org", "a long enough password"
    register = urllib.request.Request(
        server + "/api/v1/auth/register",
        data=json.dumps({"email": email, "password": password, "name": "Tess Totp", "handle": "tess-totp"}).encode(),
        headers={"content-type": "application/json"},
    )
    urllib.request.urlopen(register)
    sign_in(browser, server, email, password)
    browser.get(server + "/me/security")
    submit(browser, "form[action='/me/two-factor'] button")
    uri = browser.find_element(By.LINK_TEXT, "Open in your authenticator app").get_attribute("href")
    phone = pyotp.parse_uri(uri)
    assert phone.secret == browser.find_element(By.ID, "totp-secret").text
    browser.find_element(By.ID, "code").send_keys(phone.now())
    submit(browser, "form[action='/me/two-factor/confirm'] button")
    codes = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "ul.codes li")]
    assert len(codes) == 10
    # Signed out, signing in asks for the code after the password.
    submit(browser, "form[action='/signout'] button")
    browser.get(server + "/signin")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    submit(browser, "form[action='/signin'] button")
    assert "One more step" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "code").send_keys(codes[0])
    submit(browser, "form[action='/signin/two-factor'] button")
    browser.get(server + "/me/security")
    assert "9 unused recovery codes" in browser.find_element(By.TAG_NAME, "main").text
    # The API asks for it too.
    token_request = urllib.request.Request(
        server + "/api/v1/auth/token", data=json.dumps({"email": email, "password": password}).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        urllib.request.urlopen(token_request)
        raise AssertionError("a token without the second factor")
    except urllib.error.HTTPError as error:
        assert error.code == 401 and json.load(error)["totp_required"] is True
