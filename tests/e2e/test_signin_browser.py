"""Chromium: a deep link opened while signed out opens its page, with its address, after signing
in (issue 15, item 14: every deep link landed on Översikt), and never leads off the app."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import ORG, make_org
from tests.e2e.conftest import serve
from workbench.store import accounts
from workbench.store.db import close_store, open_store

PASSWORD = "korrekt-hast-batteri-klammer"


@pytest.fixture(scope="module")
def local_app(tmp_path_factory):
    """`workbench app` with local accounts (a coordinator and a viewer) on a small database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('signin') / 'signin.sqlite'}"
    store = open_store(url)
    make_org(store)
    for name, role in (("sara", "coordinator"), ("olle", "viewer")):
        accounts.add_user(store.engine, name, organisation=ORG, role=role, password=PASSWORD, actor="test")
    close_store(url)
    with serve(url, "signin-server.log", WORKBENCH_AUTH="local", WORKBENCH_BASEMAP="none",
               WORKBENCH_ORGANISATION=ORG) as base:
        yield base


def _sign_in(page, name: str) -> None:
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text(f"Inloggad: {name}").wait_for(timeout=60_000)


def _opened(page) -> str:
    """The heading of the page opened after signing in (the sign-in form's own heading gone)."""
    page.wait_for_function("() => [...document.querySelectorAll('h1')].some("
                           "h => h.innerText.startsWith('EST-möte') || h.innerText.startsWith('Översikt') "
                           "|| h.innerText.startsWith('Importera'))", timeout=60_000)
    return page.locator("h1").first.inner_text().strip()


def test_a_deep_link_with_choices_opens_after_signing_in(local_app, page):
    page.goto(f"{local_app}/est-mote?omrade=S%C3%B6der&period=3m", wait_until="domcontentloaded")
    page.get_by_label("Användarnamn").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no page list before signing in
    _sign_in(page, "sara")
    assert _opened(page).startswith("EST-möte")
    address = urlsplit(page.url)
    assert address.path == "/est-mote"
    assert parse_qs(address.query).get("omrade") == ["Söder"]
    assert parse_qs(address.query).get("period") == ["3m"]
    assert page.blocked == []  # type: ignore[attr-defined]


def _not_found_dialog(page) -> None:
    """Streamlit's dialog for an address that is no page of the app, in Swedish; closed."""
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=60_000)
    dialog.get_by_text("Sidan finns inte").first.wait_for(timeout=10_000)
    assert "Översikt visas i stället." in dialog.inner_text()
    assert "Page not found" not in dialog.inner_text() and "main page" not in dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=10_000)


@pytest.mark.parametrize(("path", "unknown"), [("/finns-inte?next=%2F%2Fevil.example", True),
                                               ("/?next=https://evil.example/", False),
                                               ("/importera", False)])
def test_other_links_land_in_the_app_never_off_site(local_app, page, path, unknown):
    """An unknown path, a `next` pointing elsewhere, or a page the role may not open: after signing
    in the person is on a page of the app (Översikt), on the app's own host."""
    page.goto(f"{local_app}{path}", wait_until="domcontentloaded")
    page.get_by_label("Användarnamn").wait_for(timeout=60_000)
    if unknown:
        _not_found_dialog(page)
    _sign_in(page, "olle")  # a viewer: Importera is not among the pages
    assert _opened(page).startswith("Översikt")
    assert urlsplit(page.url).netloc == urlsplit(local_app).netloc
    assert urlsplit(page.url).path == "/"
    assert "evil" not in page.url
    assert page.blocked == []  # type: ignore[attr-defined]
