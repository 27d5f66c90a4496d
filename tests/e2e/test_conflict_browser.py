"""Two browsers edit one åtgärd (issue 15, item 6): B's stale save is refused; after "Ladda om
åtgärden" B's form shows A's stored text, B's own text stands read-only beside it, and B's next
save does not overwrite A's change."""

from __future__ import annotations

import re

import pytest

from tests.builders import ORG, make_org
from tests.e2e.conftest import serve
from workbench.store import loop
from workbench.store import repositories as repo
from workbench.store.db import close_store, open_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def one_action(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('conflict') / 'conflict.sqlite'}"
    store = open_store(url)
    org = make_org(store)
    with store.transaction() as conn:
        action = loop.create_action(conn, org, {"text": "Belysning i gångtunneln",
                                                "responsible_party": "Kommunen", "status": "planerad"},
                                    actor="test")
    close_store(url)
    with serve(url, "conflict-server.log", WORKBENCH_AUTH="single-user", WORKBENCH_BASEMAP="none",
               WORKBENCH_ORGANISATION=ORG) as base:
        yield base, url, action


def _open_edit(page, base: str) -> None:
    page.goto(f"{base}/atgarder", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Ändra åtgärd").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Ändra åtgärd").click()
    page.get_by_text("Version 1 öppnad.").wait_for(timeout=60_000)


def _text_field(page):
    return page.locator("textarea[aria-label='Åtgärd']:visible").first


def _save(page) -> None:
    page.locator("button:visible", has_text=re.compile(r"^Spara$")).first.click()


def _stored(url: str) -> tuple[int, str]:
    store = open_store(url)
    org = repo.find_organisation(store.engine, ORG)
    actions = loop.list_actions(store.engine, org)
    return int(actions["version"].iloc[0]), str(actions["text"].iloc[0])


def test_reload_after_a_conflict_keeps_the_other_change(one_action, browser):
    base, url, _ = one_action
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE") for _ in range(2)]
    try:
        anna, bertil = (context.new_page() for context in contexts)
        _open_edit(anna, base)
        _open_edit(bertil, base)  # both have version 1 open

        _text_field(anna).fill("Belysning och röjning av buskar")
        _save(anna)
        anna.get_by_text("Sparat (version 2).").wait_for(timeout=60_000)

        _text_field(bertil).fill("Belysning, kameror")
        _save(bertil)
        bertil.get_by_text(re.compile("ändrats av någon annan")).wait_for(timeout=60_000)
        assert _stored(url) == (2, "Belysning och röjning av buskar")

        bertil.get_by_role("button", name="Ladda om åtgärden").click()
        bertil.get_by_text("Version 2 öppnad.").wait_for(timeout=60_000)
        bertil.get_by_text("Din osparade text").wait_for(timeout=30_000)
        assert _text_field(bertil).input_value() == "Belysning och röjning av buskar"
        mine = bertil.locator("[data-testid='stExpander']", has_text="Din osparade text")
        assert "Belysning, kameror" in mine.locator("code").first.inner_text()
        assert mine.locator("textarea").count() == 0 and mine.locator("input").count() == 0  # read-only

        _save(bertil)  # saving without re-typing keeps Anna's text
        bertil.get_by_text("Sparat (version 3).").wait_for(timeout=60_000)
        assert _stored(url) == (3, "Belysning och röjning av buskar")
    finally:
        for context in contexts:
            context.close()
