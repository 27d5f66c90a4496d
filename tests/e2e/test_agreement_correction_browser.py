"""Correcting a real medborgarlöfte in the browser: upload it, make a missed sentence a
commitment from the source view, save, upload the same document again: the correction is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
SOURCE = (Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "corpus"
          / "medborgarloften" / "hudiksvall_medborgarlofte_2023-2025.txt")
MISSED = "Polisen och kommunen ska tillsammans arbeta för att den upplevda tryggheten"


def _upload(page, app_server) -> None:
    page.goto(f"{app_server}/overenskommelse", wait_until="domcontentloaded")
    page.locator("input[type='file']").first.wait_for(state="attached", timeout=60_000)
    page.locator("input[type='file']").first.set_input_files(str(SOURCE))
    page.get_by_text("Källtext").first.wait_for(timeout=60_000)


def test_fix_a_missed_commitment_save_and_reupload(app_server, page, demo_db):
    if not SOURCE.exists():
        pytest.skip(f"../shared/seeds/corpus saknas: {SOURCE}")
    from workbench.store import loop
    from workbench.store import repositories as repo
    from workbench.store.db import open_store

    store = open_store(demo_db)
    org = repo.find_organisation(store.engine, "Borås stad")
    before = len(loop.commitments(store.engine, org))
    try:
        _upload(page, app_server)
        page.get_by_text(re.compile(r"3 åtaganden i 1 fokusområde")).first.wait_for(timeout=60_000)
        for label in ("Från rad", "Till rad"):
            field = page.locator(f"input[aria-label='{label}']").first
            field.fill("5")
            field.press("Enter")
        # the chosen lines' text is shown before it becomes a commitment
        page.locator("[data-testid='stCaptionContainer']",
                     has_text="ska tillsammans arbeta för att den upplevda").first.wait_for(timeout=30_000)
        page.locator("input[aria-label='Part']:visible").first.click()
        page.keyboard.type("Kommunen och")
        page.get_by_role("option", name=re.compile("Kommunen och polisen")).first.click()
        page.get_by_role("button", name="Gör till åtagande").click()
        page.get_by_text("Nytt åtagande från rad 5–5").first.wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"4 åtaganden i 1 fokusområde")).first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Spara överenskommelsen").click()
        page.get_by_text(re.compile(r"Sparat: 4 åtaganden")).first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "agreement-correction.png"), full_page=True)
        saved = loop.commitments(store.engine, org)
        assert len(saved) == before + 4
        assert saved["text"].str.startswith(MISSED).sum() == 1

        _upload(page, app_server)  # the same document again, in a fresh page
        page.get_by_text(re.compile("sparat tidigare")).first.wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"4 åtaganden i 1 fokusområde")).first.wait_for(timeout=30_000)
        assert page.blocked == []
    finally:
        with store.transaction() as conn:
            conn.exec_driver_sql("DELETE FROM agreement WHERE title LIKE 'Hudiksvall%'")
