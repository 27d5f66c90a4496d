"""'Öppna åtgärd' in the agreement's follow-up, in a real browser: the åtgärd opens in its edit
form under Åtgärder (the "Ändra åtgärd" tab selected, that åtgärd chosen), and a link with
?atgard=ID does the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
COMMITMENT = "sanera klotter på kommunens fastigheter"
ACTION = "Klottersanering inom 24 timmar i Hässleholmen"


def _pick(page, label: str, typed: str, option: re.Pattern) -> None:
    page.locator(f"input[aria-label='{label}']:visible").first.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()


def _edit_form_shows(page, text: str) -> None:
    page.wait_for_url(re.compile(r"/atgarder"), timeout=60_000)
    page.get_by_role("tab", name="Ändra åtgärd", selected=True).wait_for(timeout=60_000)
    form_text = page.locator("textarea[aria-label='Åtgärd']:visible").first
    form_text.wait_for(timeout=60_000)
    assert form_text.input_value() == text


def test_open_an_action_from_the_follow_up_in_its_edit_form(app_server, page, demo_db):
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    action = int(loop.list_actions(store.engine, org).set_index("text").loc[ACTION, "id"])

    page.goto(f"{app_server}/overenskommelse", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Uppföljning av åtaganden").click()
    page.get_by_text("Åtgärder som svarar mot ett åtagande").first.wait_for(timeout=60_000)
    _pick(page, "Åtagande", "sanera klotter", re.compile(COMMITMENT))
    _pick(page, "Öppna åtgärd för att ändra den", "Klottersanering", re.compile(f"{action}: {ACTION}"))
    _edit_form_shows(page, ACTION)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "follow_up_open_action.png"), full_page=True)

    page.goto(f"{app_server}/atgarder?atgard={action}", wait_until="domcontentloaded")
    _edit_form_shows(page, ACTION)
    assert page.blocked == []


DEMO_AGREEMENT = Path(__file__).resolve().parents[2] / "sample_incidents" / "samverkansoverenskommelse_demo.md"
REWORDED = "röja vegetation som skymmer sikten vid gångvägar och tunnlar inom två veckor efter anmälan"


def test_reword_a_linked_commitment_in_the_browser_and_the_link_stays(app_server, page, demo_db):
    """The demo agreement uploaded again shows the saved version; a commitment an åtgärd answers
    to is reworded with 'Ändra texten' and saved: same commitment, the åtgärd still answers it."""
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    commitments = loop.commitments(store.engine, org)
    target = commitments[commitments["text"].str.startswith("röja vegetation")].iloc[0]
    cid, original = int(target["id"]), str(target["text"])
    number = list(commitments["id"]).index(cid) + 1
    linked = [int(a.id) for a in loop.list_actions(store.engine, org).itertuples() if cid in a.commitment_ids]
    assert linked, "the demo links an åtgärd to the commitment"
    try:
        page.goto(f"{app_server}/overenskommelse", wait_until="domcontentloaded")
        page.locator("input[type='file']").first.wait_for(state="attached", timeout=60_000)
        page.locator("input[type='file']").first.set_input_files(str(DEMO_AGREEMENT))
        page.get_by_text(re.compile("sparat tidigare")).first.wait_for(timeout=60_000)
        _pick(page, "Åtagande att rätta", "röja vegetation", re.compile(f"^{number}\\. "))
        page.get_by_text(re.compile(f"Kopplade åtgärder: åtgärd {linked[0]}")).first.wait_for(timeout=30_000)
        box = page.locator("textarea[aria-label='Åtagandets text']").first
        box.fill(REWORDED)
        page.get_by_role("button", name="Ändra texten").click()
        page.get_by_text(f"Åtagande {number}: texten ändrad").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Spara överenskommelsen").click()
        page.get_by_text(re.compile("den sparade versionen är uppdaterad")).first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "agreement-reword-linked.png"), full_page=True)
        after = loop.commitments(store.engine, org).set_index("id")["text"]
        assert after[cid] == REWORDED and len(after) == len(commitments)
        still = [int(a.id) for a in loop.list_actions(store.engine, org).itertuples() if cid in a.commitment_ids]
        assert still == linked
        assert page.blocked == []
    finally:
        with store.transaction() as conn:
            conn.exec_driver_sql("UPDATE commitment SET text = ? WHERE id = ?", (original, cid))
