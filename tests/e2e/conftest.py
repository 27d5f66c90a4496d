"""End-to-end: the real `workbench app` on a free port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(demo_db):
    """Start `workbench app` against the demo database; yield its base URL."""
    port = _free_port()
    log = ARTIFACTS / "app-server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    env = dict(os.environ, WORKBENCH_BASEMAP="osm", WORKBENCH_AUTH="single-user")
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "workbench", "app", "--port", str(port), "--db", demo_db],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"appen startade inte: {log.read_text()[-2000:]}")
                time.sleep(0.3)
        else:
            process.terminate()
            pytest.fail("appen svarade inte inom 60 s")
        yield url
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium saknas (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page whose network is closed to everything but 127.0.0.1; blocked URLs are recorded."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="sv-SE")
    blocked: list[str] = []

    def gate(route):
        host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.blocked = blocked  # type: ignore[attr-defined]
    yield page
    context.close()
