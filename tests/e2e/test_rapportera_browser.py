"""Chromium at phone size (390 × 844, touch) with the network closed: a reporter signs in, lands on
Rapportera, reports two observations — one by tapping the map (whose tiles cannot be fetched), one
by the phone's position — and sends them; a second verksamhet's reporter says "Inget att
rapportera denna vecka". The stored rows are what was reported. Steps and the town are in
tests/e2e/reporting_steps.py, for the coordinator's round trip to reuse."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import ORG
from tests.e2e.conftest import ARTIFACTS, serve
from tests.e2e.reporting_steps import (
    HOUSING,
    NORR_POSITION,
    YOUTH,
    add_observation,
    nothing_to_report,
    reporting_town,
    send_report,
    sign_in,
    wait_for_rapportera,
)
from workbench.access.scope import open_scope, operator
from workbench.store import reporting
from workbench.store.db import close_store, open_store


@pytest.fixture(scope="module")
def reporting_app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('rapportera') / 'rapportera.sqlite'}"
    reporting_town(url)
    with serve(url, "rapportera-server.log", WORKBENCH_AUTH="local", WORKBENCH_BASEMAP="osm",
               WORKBENCH_ORGANISATION=ORG) as base:
        yield base, url
    close_store(url)


def _stored(url: str):
    store = open_store(url)
    org = open_scope(store, operator("test"), ORG).organisation_id
    with store.engine.connect() as conn:
        return reporting.reports(conn, org), reporting.observations(conn, org)


def test_a_reporter_reports_two_observations_and_another_nothing_on_a_phone(reporting_app, phone):
    base, url = reporting_app
    year, week, _ = date.today().isocalendar()

    page = phone(position=NORR_POSITION)
    sign_in(page, base, "vard1")
    wait_for_rapportera(page)
    assert page.url.rstrip("/").endswith("/rapportera")
    assert page.viewport_size == {"width": 390, "height": 844}
    # one column: nothing sticks out sideways on the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # large touch targets (the page's style makes buttons 3 rem high and as wide as the column)
    page.wait_for_function("() => [...document.querySelectorAll('button')].some(b => "
                           "b.innerText.trim() === 'Lägg till i veckans rapport' && "
                           "b.getBoundingClientRect().height >= 44)", timeout=30_000)
    send = page.get_by_role("button", name="Lägg till i veckans rapport").bounding_box()
    assert send["height"] >= 44 and send["width"] >= 300

    page.screenshot(path=str(ARTIFACTS / "rapportera-start.png"))
    add_observation(page, category="Belysning", where="map", assessment="3 – allvarlig",
                    description="Gångvägen är helt mörk, två lampor trasiga")
    add_observation(page, category="Folksamling", where="position", assessment="2 – måttlig",
                    description="Ett tiotal personer vid kiosken, ring 070-123 45 67",
                    warned="Texten innehåller något som ser ut som ett telefonnummer – ta bort det.")
    send_report(page, 2)
    page.get_by_text("Ny – inte behandlad än").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "rapportera-telefon.png"), full_page=True)

    other = phone()
    sign_in(other, base, "fritid1")
    wait_for_rapportera(other)
    nothing_to_report(other)
    other.get_by_text("inget att rapportera", exact=False).last.wait_for(timeout=60_000)
    for path in ("est-mote", "hotspots", "logg"):  # another page's address (a new session) opens Rapportera
        sign_in(other, base, "fritid1", path=path)
        wait_for_rapportera(other)
        assert other.get_by_role("heading", level=1).all_inner_texts() == ["Rapportera"]

    reports, observations = _stored(url)
    assert sorted((r["verksamhet"], r["iso_year"], r["iso_week"], r["nothing_to_report"]) for r in reports) == \
        sorted([(HOUSING, year, week, False), (YOUTH, year, week, True)])
    assert sorted((o["category"], o["assessment"], o["verksamhet"], o["status"]) for o in observations) == [
        ("Belysning", 3, HOUSING, "ny"), ("Folksamling", 2, HOUSING, "ny")]
    tapped, located = sorted(observations, key=lambda o: o["category"])
    assert tapped["x"] is not None and tapped["y"] is not None  # a point from the tap
    assert located["area"] == "Norr" and abs(located["x"] - 376500) < 20 and abs(located["y"] - 6400500) < 20
    assert located["description"] == "Ett tiotal personer vid kiosken, ring [telefonnummer]"
    for p in (page, other):  # nothing reached the internet but base-map tiles, which failed
        assert all("tile.openstreetmap.org" in u for u in p.blocked), p.blocked
