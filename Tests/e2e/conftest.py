"""Starts a real `kith serve` with the demo community on loopback and a headless Chromium."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
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


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("KITH_BIN", os.path.join(ROOT, ".build", "debug", "kith"))
    data = tempfile.mkdtemp(prefix="kith-e2e-")
    port = free_port()
    log = open(os.path.join(data, "serve.log"), "w+")
    process = subprocess.Popen(
        [binary, "serve", "--data-dir", data, "--port", str(port), "--demo", "--demo-members", "300",
         "--bcrypt-cost", "4", "--log-level", "warning"],
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
