"""Sign-in: local accounts (a form), OpenID Connect (st.login), or the marked single-user demo."""

from __future__ import annotations

import streamlit as st

from workbench import roles
from workbench.access.scope import (
    Principal,
    has_accounts,
    refresh,
    sign_in_local,
    sign_in_oidc,
    single_user,
)
from workbench.config import Settings
from workbench.errors import AccessDenied
from workbench.store.db import Store
from workbench.ui import text_sv as T
from workbench.ui.session_keys import PRINCIPAL

SIGNED_OUT = "_signed_out_reason"  # why a session was signed out, shown above the form


def _form(store: Store) -> None:
    st.title(T.APP_TITLE)
    if not has_accounts(store):
        st.warning(T.NO_ACCOUNTS)
        st.stop()
    if SIGNED_OUT in st.session_state:
        st.warning(T.plain(st.session_state.pop(SIGNED_OUT)))
    with st.form("sign_in"):
        st.subheader("Logga in")
        username = st.text_input("Användarnamn", key="signin_user")
        password = st.text_input("Lösenord", type="password", key="signin_password")
        submitted = st.form_submit_button("Logga in", type="primary")
    if submitted:
        try:
            st.session_state[PRINCIPAL] = sign_in_local(store, username, password)
        except AccessDenied as exc:
            st.error(T.plain(str(exc)))
            st.stop()
        st.session_state.pop("signin_password", None)
        st.rerun()
    st.stop()


def _oidc(store: Store) -> Principal:
    if not st.user.is_logged_in:
        st.title(T.APP_TITLE)
        st.write(T.OIDC_INTRO)
        st.button("Logga in", type="primary", on_click=st.login, key="oidc_login")
        st.stop()
    try:
        email = st.user.get("email")
        return sign_in_oidc(store, email if isinstance(email, str) else None)
    except AccessDenied as exc:
        st.error(T.plain(str(exc)))
        st.button("Logga ut", on_click=st.logout, key="oidc_logout_denied")
        st.stop()


def signing_in(settings: Settings) -> bool:
    """Whether this run will ask who the person is (no signed-in principal in the session yet)."""
    if settings.auth == "single-user":
        return False
    known = st.session_state.get(PRINCIPAL)
    return not (isinstance(known, Principal) and known.method == settings.auth)


def principal(settings: Settings, store: Store) -> Principal:
    """Who uses this session; draws the sign-in and stops the page until someone has signed in."""
    if settings.auth == "single-user":
        return single_user(st.session_state.get("demo_role", "coordinator"))
    known = st.session_state.get(PRINCIPAL)
    if isinstance(known, Principal) and known.method == settings.auth:
        try:  # every rerun reads the stored account: a removal, lock or new role applies at once
            current = refresh(store, known)
        except AccessDenied as exc:
            for key in (PRINCIPAL, "organisation"):
                st.session_state.pop(key, None)
            st.session_state[SIGNED_OUT] = str(exc)
            if settings.auth == "oidc":
                st.error(T.plain(str(exc)))
                st.button("Logga ut", on_click=st.logout, key="oidc_logout_denied")
                st.stop()
        else:
            st.session_state[PRINCIPAL] = current
            return current
    signed_in = _oidc(store) if settings.auth == "oidc" else None
    if signed_in is None:
        _form(store)
    st.session_state[PRINCIPAL] = signed_in
    return signed_in  # type: ignore[return-value]


def _sign_out(settings: Settings) -> None:
    for key in (PRINCIPAL, "organisation"):
        st.session_state.pop(key, None)
    if settings.auth == "oidc":
        st.logout()


def who(settings: Settings, store: Store, principal: Principal) -> None:
    """The sidebar's line about the user (and the demo banner, or the sign-out button)."""
    if principal.method == "single-user":
        st.warning(T.SINGLE_USER_BANNER)
        # kept on the way through a page without this box (the reporter's start page switches on)
        st.selectbox(T.DEMO_ROLE, roles.ROLE_NAMES, key="demo_role",
                     format_func=lambda r: roles.ROLES[r].label, persist_state="session")
        if principal.areas_everywhere:
            st.caption(T.DEMO_OWN_AREAS.format(areas=T.plain(" och ".join(principal.areas_everywhere))))
        return
    st.caption(f"Inloggad: {T.plain(principal.display_name)}")
    st.button("Logga ut", key="sign_out", on_click=_sign_out, args=(settings,))
