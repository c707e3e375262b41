"""Starts a real `kith serve` with the demo community on loopback and a headless Chromium."""
import os
import re
import shutil
import socket
import subprocess
import socketserver
import tempfile
import threading
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.environ.get("KITH_ARTIFACTS", os.path.join(ROOT, "artifacts"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeSMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept mail from Kith: the mail server is the outside world."""

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 fake-smtp ready")
        sender, recipients, data = None, [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if data is not None:
                if command == ".":
                    self.server.messages.append({"from": sender, "to": recipients, "data": "\r\n".join(data)})
                    data = None
                    self.reply("250 queued")
                else:
                    data.append(command[1:] if command.startswith("..") else command)
            elif verb == "EHLO":
                self.wfile.write(b"250-fake-smtp\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                sender, recipients = command[10:].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command[8:].strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                data = []
                self.reply("354 go ahead")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeSMTPHandler)
        self.messages = []


@pytest.fixture(scope="session")
def smtp():
    fake = FakeSMTPServer()
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.shutdown()


@pytest.fixture(scope="session")
def server(smtp):
    binary = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))
    data = tempfile.mkdtemp(prefix="kith-e2e-")
    port = free_port()
    log = open(os.path.join(data, "serve.log"), "w+")
    process = subprocess.Popen(
        [binary, "serve", "--data-dir", data, "--port", str(port), "--demo", "--demo-members", "300",
         "--bcrypt-cost", "4", "--log-level", "warning", "--mail-url", f"smtp://127.0.0.1:{smtp.server_address[1]}",
         # The suite signs up more than ten members from one address; the limit has its own tests.
         "--registrations-per-hour", "0"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        log.seek(0)
        if re.search(r"Kith listening on http://", log.read()):
            break
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError("kith serve exited:\n" + log.read())
        time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("kith serve did not start in time")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def screenshot(driver, name):
    os.makedirs(os.path.join(ARTIFACTS, "screenshots"), exist_ok=True)
    driver.save_screenshot(os.path.join(ARTIFACTS, "screenshots", f"{name}.png"))


def wait_until_replaced(driver, page, timeout=10):
    """Waits until `page` (the old document's <html>) has gone, after a click that navigates.
    chromedriver sometimes answers a question about an element of a document being torn down with
    "unhandled inspector error" instead of "stale element": that means "not yet", so ask again."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(expected_conditions.staleness_of(page))
