"""Översikt in a real headless Chromium with no internet: Leaflet loads, areas draw, figures show."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def test_overview_map_draws_offline(app_server, page):
    page.goto(app_server, wait_until="domcontentloaded")
    page.get_by_text("Översikt – Borås stad").wait_for(timeout=60_000)
    frame_element = page.wait_for_selector("iframe[title='st.iframe'], iframe", timeout=60_000)
    frame = frame_element.content_frame()
    frame.wait_for_function("() => window.L && document.querySelectorAll('path.leaflet-interactive').length >= 11",
                            timeout=60_000)
    assert frame.evaluate("() => typeof window.L.map") == "function"
    drawn = frame.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length")
    assert drawn >= 11  # every district polygon
    labels = frame.evaluate("() => Array.from(document.querySelectorAll('.wb-label')).map(e => e.innerText)")
    assert any(label.startswith("Centrum") for label in labels)
    assert any(re.search(r"\d", label) for label in labels)
    assert "Bostadsbolaget" in page.inner_text("body")
    page.get_by_text("Nyckeltal per område").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "oversikt.png"), full_page=True)
    # the only things that tried to leave the machine are basemap tiles, never scripts
    assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked


def test_every_page_opens_without_an_error(app_server, page):
    """Each page of the navigation by its own address: no 'Page not found', no exception."""
    for path in ("", "est-mote", "hotspots", "platser", "atgarder", "overenskommelse",
                 "samhallsplanering", "rapporter", "polisomrade", "importera"):
        page.goto(f"{app_server}/{path}", wait_until="domcontentloaded")
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        body = page.inner_text("body")
        assert "Page not found" not in body, path
        assert "Traceback" not in body and "Error" not in body, path
