"""End-to-end: the real `workbench app` on a free port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def serve(db_url: str, log_name: str, **env: str) -> Iterator[str]:
    """`workbench app` on a free port against ``db_url`` with the given settings (e.g.
    WORKBENCH_AUTH="local"); yields its base URL and stops it afterwards."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / log_name).open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "workbench", "app", "--port", str(port), "--db", db_url],
                                   stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, **env))
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None:
                        pytest.fail(f"appen startade inte: {(ARTIFACTS / log_name).read_text()[-2000:]}")
                    time.sleep(0.3)
            else:
                pytest.fail("appen svarade inte inom 60 s")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def app_server(demo_db):
    """Start `workbench app` against the demo database; yield its base URL."""
    with serve(demo_db, "app-server.log", WORKBENCH_BASEMAP="osm", WORKBENCH_AUTH="single-user") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium saknas (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def closed_context(browser, blocked: list[str] | None = None, **options):
    """A browser context whose network is closed to everything but 127.0.0.1; the blocked URLs
    are recorded in ``context.blocked`` (``blocked``: a list several contexts share)."""
    context = browser.new_context(**options)
    blocked = [] if blocked is None else blocked

    def gate(route):
        host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    context.blocked = blocked
    return context


@pytest.fixture
def page(browser):
    """A page whose network is closed to everything but 127.0.0.1; blocked URLs are recorded."""
    context = closed_context(browser, viewport={"width": 1500, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.blocked = context.blocked  # type: ignore[attr-defined]
    yield page
    context.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def phone(browser):
    """A new phone-sized context (390 × 844, touch), network closed, the position allowed; call it
    for each person (``phone()``), each gets its own session. Pages carry ``blocked``."""
    contexts = []

    def open_phone(*, position: tuple[float, float] | None = None):
        options = dict(PHONE, permissions=["geolocation"])
        if position is not None:
            options["geolocation"] = {"latitude": position[0], "longitude": position[1], "accuracy": 8}
        context = closed_context(browser, **options)
        contexts.append(context)
        page = context.new_page()
        page.blocked = context.blocked
        return page

    yield open_phone
    for context in contexts:
        context.close()
