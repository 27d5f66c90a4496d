"""The EST loop in a real browser: a cause analysis, an action linked to a commitment, and the
agreement's follow-up view that shows the commitment is no longer without action."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
COMMITMENT = "genomföra minst tre trygghetsvandringar per år"


def _missing(page, app_server) -> tuple[int, int]:
    page.goto(f"{app_server}/overenskommelse", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Uppföljning av åtaganden").click()
    pattern = re.compile(r"\d+ åtaganden, \d+ utan någon åtgärd")
    page.get_by_text(pattern).wait_for(timeout=60_000)
    total, missing = (int(n) for n in re.findall(r"\d+", page.get_by_text(pattern).inner_text())[:2])
    return total, missing


def test_cause_analysis_action_and_follow_up(app_server, page, demo_db):
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    _total, missing_before = _missing(page, app_server)
    page.goto(f"{app_server}/platser", wait_until="domcontentloaded")
    page.get_by_text("Ny orsaksanalys").wait_for(timeout=60_000)
    page.get_by_label("Problem (vad, när)").fill("Otrygghet kvällstid i gångtunneln")
    page.get_by_label("Plats/miljö").fill("Mörk tunnel, skymd sikt")
    page.get_by_label("Varför? (en orsak per rad, från problemet och bakåt)").fill("Trasig belysning\nBuskage")
    page.get_by_role("button", name="Spara orsaksanalysen").click()
    page.get_by_text("Otrygghet kvällstid i gångtunneln").first.wait_for(timeout=60_000)

    page.goto(f"{app_server}/atgarder", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Ny åtgärd").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Ny åtgärd").click()
    # the edit tab has the same fields (hidden): always take the visible one
    page.locator("textarea[aria-label='Åtgärd']:visible").first.fill("Trygghetsvandring i Norrby i april")
    page.locator("input[aria-label='Svarar mot åtaganden']:visible").first.click()
    page.keyboard.type("trygghetsvandringar")
    page.get_by_role("option", name=re.compile("trygghetsvandringar")).first.click()
    page.keyboard.press("Escape")
    # under load the click can land before the list is ready: save only once the choice shows
    page.locator("[data-testid='stMultiSelectTagsContainer']:visible",
                 has_text="trygghetsvandringar").first.wait_for(timeout=30_000)
    # leave the open list first: a click while it closes only moves the focus
    page.get_by_text("Hur följs den upp?").first.click()
    page.locator("button:visible", has_text=re.compile(r"^Spara$")).first.click()
    page.get_by_text(re.compile(r"Åtgärd \d+ är sparad")).first.wait_for(timeout=60_000)

    _, missing_after = _missing(page, app_server)
    assert missing_after == missing_before - 1
    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    follow = loop.agreement_follow_up(store.engine, org).set_index("text")
    assert follow.loc[COMMITMENT, "planerad"] >= 1 and not follow.loc[COMMITMENT, "without_action"]
    assert "Otrygghet kvällstid i gångtunneln" in set(loop.cause_analyses(store.engine, org)["problem"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "est_loop_follow_up.png"), full_page=True)
