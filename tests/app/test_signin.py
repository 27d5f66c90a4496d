"""AppTest of signing in: local accounts (the form, Argon2id, audit, throttling, sign-out), the
marked single-user demo, and OpenID Connect through st.user (AppTest.user)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.app.conftest import shown
from tests.builders import ORG, make_org
from workbench import roles
from workbench.store import accounts
from workbench.store import tables as t
from workbench.store.db import open_store
from workbench.ui import text_sv as T

PASSWORD = "korrekt-hast-batteri-klammer"
USER = "sara"


@pytest.fixture
def db(sqlite_url):
    make_org(open_store(sqlite_url))
    return sqlite_url


def _add(db, username=USER, *, password: str | None = PASSWORD, role="coordinator", display_name=None):
    accounts.add_user(open_store(db).engine, username, organisation=ORG, role=role, password=password,
                      display_name=display_name, actor="test")


def _audit(db, verb: str) -> list:
    table = t.AuditLog.__table__
    with open_store(db).engine.connect() as conn:
        return conn.execute(select(table).where(table.c.verb == verb).order_by(table.c.id)).all()


def _local(app_for, db):
    at = app_for(db, WORKBENCH_AUTH="local", WORKBENCH_ORGANISATION=ORG).run()
    assert not at.exception, at.exception
    return at


def _submit(at, username: str, password: str):
    at.text_input(key="signin_user").input(username)
    at.text_input(key="signin_password").input(password)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in-")).click().run()
    assert not at.exception, at.exception
    return at


def _signed_in_as(at) -> str | None:
    line = next((c.value for c in at.sidebar.caption if c.value.startswith("Inloggad:")), None)
    return None if line is None else line.replace("\\", "")  # as drawn (Markdown escapes removed)


def _shows_form(at) -> bool:
    return [i.key for i in at.text_input] == ["signin_user", "signin_password"]


def test_no_accounts_says_how_to_create_the_first(app_for, db):
    at = _local(app_for, db)
    assert any("workbench user add" in w.value for w in at.warning), [w.value for w in at.warning]
    assert not at.text_input and not at.dataframe and not at.get("iframe") and not at.sidebar.selectbox
    assert _signed_in_as(at) is None


def test_wrong_password_is_refused_and_audited(app_for, db):
    _add(db)
    at = _local(app_for, db)
    assert _shows_form(at) and not at.dataframe and not at.sidebar.selectbox
    _submit(at, USER, "fel-losenord-men-langt")
    assert [shown(e.value) for e in at.error] == ["Fel användarnamn eller lösenord."]
    assert "_principal" not in at.session_state and _signed_in_as(at) is None
    assert not at.dataframe and not at.get("iframe") and _shows_form(at)
    _submit(at, "ingen-sadan", PASSWORD)  # an unknown name: the same words, nothing to tell them apart
    assert [shown(e.value) for e in at.error] == ["Fel användarnamn eller lösenord."]
    failed = _audit(db, "sign_in_failed")
    assert [(r.actor, r.entity, r.entity_id) for r in failed] == [(USER, "session", "local"),
                                                                  ("ingen-sadan", "session", "local")]
    assert _audit(db, "sign_in") == []


def test_right_password_signs_in_is_audited_and_signs_out(app_for, db):
    _add(db, display_name="Sara Samordnare")
    at = _local(app_for, db)
    _submit(at, "  Sara ", PASSWORD)  # names are trimmed and lower-cased
    assert not at.error, [e.value for e in at.error]
    assert _signed_in_as(at) == "Inloggad: Sara Samordnare"
    assert at.title[0].value == f"Översikt – {ORG}" and at.dataframe
    assert "signin_password" not in at.session_state  # the typed password is not kept
    signed = _audit(db, "sign_in")
    assert [(r.actor, r.entity, r.entity_id) for r in signed] == [(USER, "session", "local")]
    assert _audit(db, "sign_in_failed") == []
    with open_store(db).engine.connect() as conn:
        assert conn.execute(select(t.UserAccount.last_sign_in_at)).scalar_one() is not None

    at.button(key="sign_out").click().run()
    assert not at.exception, at.exception
    assert "_principal" not in at.session_state
    assert _signed_in_as(at) is None and _shows_form(at)
    assert not at.dataframe and not at.get("iframe") and not at.sidebar.selectbox


def test_five_failures_refuse_even_the_right_password(app_for, db):
    _add(db)
    _add(db, "olle", role="viewer")
    at = _local(app_for, db)
    for _ in range(accounts_max_failures()):
        _submit(at, USER, "gissat-losenord-123")
        assert [shown(e.value) for e in at.error] == ["Fel användarnamn eller lösenord."]
    _submit(at, USER, PASSWORD)
    assert len(at.error) == 1 and "För många misslyckade inloggningar" in at.error[0].value
    assert "_principal" not in at.session_state and _signed_in_as(at) is None
    assert not at.dataframe and not at.get("iframe")
    assert len(_audit(db, "sign_in_failed")) == 6 and _audit(db, "sign_in") == []
    _submit(at, "olle", PASSWORD)  # the lock is per name: another account still signs in
    assert not at.error and _signed_in_as(at) == "Inloggad: olle"


def accounts_max_failures() -> int:
    from workbench.access.scope import MAX_FAILURES

    assert MAX_FAILURES == 5
    return MAX_FAILURES


def test_single_user_is_a_marked_demo_with_a_role_selector(app_for, db):
    _add(db)  # accounts exist, but single-user mode does not ask for them
    at = app_for(db, WORKBENCH_ORGANISATION=ORG).run()
    assert not at.exception, at.exception
    assert any("Demoläge" in w.value for w in at.sidebar.warning)
    assert not at.text_input and _signed_in_as(at) is None
    chooser = at.sidebar.selectbox(key="demo_role")
    assert list(chooser.options) == [roles.ROLES[r].label for r in roles.ROLE_NAMES]
    at.switch_page("app_pages/hotspots.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Hot-spots" and "hs_cell" in [s.key for s in at.selectbox]
    at.sidebar.selectbox(key="demo_role").set_value("viewer").run()  # the chosen role applies:
    assert not at.exception and not at.error  # Hot-spots is no longer a page; the default opens
    assert at.title[0].value == f"Översikt – {ORG}"
    assert "hs_cell" not in [s.key for s in at.selectbox]
    with pytest.raises(ValueError):
        at.switch_page("app_pages/importera.py")  # and the navigation follows it


def test_password_is_stored_as_an_argon2id_hash(db):
    _add(db)
    with open_store(db).engine.connect() as conn:
        stored = conn.execute(select(t.UserAccount.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    with pytest.raises(accounts.AccountError):
        _add(db, "kort", password="för-kort")  # under 12 characters


def test_oidc_without_a_signed_in_user_shows_only_the_login_button(app_for, db):
    _add(db)
    at = app_for(db, WORKBENCH_AUTH="oidc", WORKBENCH_ORGANISATION=ORG)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert [b.key for b in at.button] == ["oidc_login"]
    assert at.button(key="oidc_login").label == "Logga in"
    assert not at.sidebar.children  # no organisation, filters or user line
    drawn = [(node.type, getattr(node, "value", None) or getattr(node, "label", None))
             for node in at.main.children.values()
             if node.type != "html"]  # the translator of Streamlit's own texts (ui/swedish.py), no content
    assert drawn == [("title", T.APP_TITLE), ("markdown", T.OIDC_INTRO), ("button", "Logga in")]


def test_oidc_registered_and_unregistered_identities(app_for, db):
    _add(db, "sara@kommun.se", password=None)  # an OIDC-only account, matched on its e-mail
    at = app_for(db, WORKBENCH_AUTH="oidc", WORKBENCH_ORGANISATION=ORG)
    at.user = {"is_logged_in": True, "email": "sara@kommun.se", "name": "Sara"}
    at.run()
    assert not at.exception and not at.error, at.exception or [e.value for e in at.error]
    assert _signed_in_as(at) == "Inloggad: sara@kommun.se" and at.dataframe
    assert [(r.actor, r.entity_id) for r in _audit(db, "sign_in")] == [("sara@kommun.se", "oidc")]

    stranger = app_for(db, WORKBENCH_AUTH="oidc", WORKBENCH_ORGANISATION=ORG)
    stranger.user = {"is_logged_in": True, "email": "okand@example.org"}
    stranger.run()
    assert not stranger.exception
    assert any("inte registrerat" in e.value for e in stranger.error)
    assert [b.key for b in stranger.button] == ["oidc_logout_denied"]
    assert not stranger.dataframe and not stranger.get("iframe") and _signed_in_as(stranger) is None
    assert [r.actor for r in _audit(db, "sign_in_failed")] == ["okand@example.org"]


def _sign_in(app_for, db, username=USER):
    at = _local(app_for, db)
    _submit(at, username, PASSWORD)
    assert not at.error and _signed_in_as(at) == f"Inloggad: {username}"
    return at


def test_a_removed_account_is_signed_out_at_the_next_rerun(app_for, db):
    _add(db)
    _add(db, "olle", role="viewer")  # another account remains, so the form is drawn
    at = _sign_in(app_for, db)
    accounts.remove_user(open_store(db).engine, USER, actor="cli:root")  # `workbench user remove`
    at.run()
    assert not at.exception, at.exception
    assert _shows_form(at) and _signed_in_as(at) is None and "_principal" not in at.session_state
    assert any("finns inte längre" in w.value for w in at.warning), [w.value for w in at.warning]
    assert not at.dataframe and not at.get("iframe") and not at.sidebar.selectbox
    at.run()  # and stays out: the stored session no longer opens anything
    assert _shows_form(at) and _signed_in_as(at) is None


def test_a_lost_membership_and_a_lockout_sign_the_session_out(app_for, db):
    _add(db)
    _add(db, "olle", role="viewer")
    at = _sign_in(app_for, db)
    accounts.remove_user(open_store(db).engine, USER, organisation=ORG, actor="cli:root")
    at.run()
    assert _shows_form(at) and _signed_in_as(at) is None
    assert any("ingen roll" in w.value for w in at.warning), [w.value for w in at.warning]

    _add(db)
    at = _sign_in(app_for, db)
    engine = open_store(db).engine
    for _ in range(accounts_max_failures()):  # someone guesses the password from elsewhere
        accounts.record_sign_in(engine, None, username=USER, method="local", success=False)
    at.run()
    assert _shows_form(at) and _signed_in_as(at) is None
    assert any("spärrat" in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_changed_role_applies_at_the_next_rerun(app_for, db):
    _add(db)  # coordinator: may import
    at = _sign_in(app_for, db)
    at.switch_page("app_pages/importera.py").run()
    assert not at.exception and at.title[0].value.startswith("Importera")
    _add(db, role="viewer", password=None)  # the same organisation: the role changes
    at.run()
    assert not at.exception, at.exception
    assert _signed_in_as(at) == f"Inloggad: {USER}"
    assert at.title[0].value == f"Översikt – {ORG}"  # Importera is no longer the viewer's page
    with pytest.raises(ValueError):
        at.switch_page("app_pages/importera.py")
    assert at.session_state["_principal"].memberships[0].role == "viewer"


def test_a_deep_link_opens_its_page_after_signing_in(app_for, db):
    """Issue 15, item 14: every deep link landed on Översikt after signing in. The page asked for,
    and the choices in its address, open once the person has signed in (the browser test
    tests/e2e/test_signin_browser.py follows a real address)."""
    _add(db)
    at = app_for(db, WORKBENCH_AUTH="local", WORKBENCH_ORGANISATION=ORG)
    at.query_params = {"omrade": "Söder", "period": "3m"}
    at.run()  # the session's first request, signed out
    at.switch_page("app_pages/est_mote.py").run()  # …for /est-mote?omrade=Söder&period=3m
    assert not at.exception, at.exception
    assert _shows_form(at) and not at.dataframe and not at.get("iframe")  # nothing before signing in
    _submit(at, USER, PASSWORD)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.startswith("EST-möte"), at.title[0].value
    assert at.sidebar.selectbox(key="area").value == "Söder"
    assert at.sidebar.selectbox(key="period_preset").value == "3m"


def test_a_deep_link_to_a_page_the_role_may_not_open_lands_on_oversikt(app_for, db):
    _add(db, "olle", role="viewer")
    at = app_for(db, WORKBENCH_AUTH="local", WORKBENCH_ORGANISATION=ORG).run()
    at.switch_page("app_pages/importera.py").run()
    _submit(at, "olle", PASSWORD)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == f"Översikt – {ORG}"
    assert not at.get("file_uploader")
