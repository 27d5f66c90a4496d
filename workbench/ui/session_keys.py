"""Every key the UI keeps in Streamlit's session state and reads or writes through
``st.session_state``, in one place, with what it holds (issue 22, item 7).

The rule (checked by tests/unit/test_session_keys.py): code that reads or writes
``st.session_state[...]`` (or ``.get``/``.pop``/``.setdefault``/``in``) uses a key listed here,
spelled as a string or as a constant whose value is listed. A widget's own key that no code reads
through session state (``key="rp_week"``) need not be listed: Streamlit owns it. Keys that start
with ``_`` are the app's own bookkeeping, never a widget.
"""

from __future__ import annotations

# --- the app's own bookkeeping ----------------------------------------------------------------
PRINCIPAL = "_principal"  # who is signed in (signin.py)
ACCESS = "_access"  # this run's principal, allowed organisations and scope (state.resolve_access)
URL_RESTORED = "_url_restored"  # the sidebar's choices were taken from the address once
SIDEBAR_DRAWN = "_sidebar_drawn"  # the filters of the sidebar the entrypoint drew in this run
FLASH = "_flash"  # a confirmation to show after the coming rerun
SAVED = "_saved_forms"  # what each form's last submission created (no duplicate on a second click)

# --- the shared sidebar (drawn once per run by the entrypoint) --------------------------------
SHARED_SCREEN_MEETING = "shared_screen_meeting"
SIDEBAR_KEYS = ("organisation", "area", "period_preset", "period_custom", "reference", "shared_screen",
                SHARED_SCREEN_MEETING, "demo_role")




SESSION_KEYS: dict[str, str] = {
    PRINCIPAL: "inloggad person",
    ACCESS: "körningens behörighet",
    URL_RESTORED: "valen lästa från adressen",
    SIDEBAR_DRAWN: "sidopanelens filter i körningen",
    FLASH: "bekräftelse efter omkörning",
    SAVED: "formulärens senaste sparande",
    "organisation": "sidopanel: organisation",
    "area": "sidopanel: område",
    "period_preset": "sidopanel: period",
    "period_custom": "sidopanel: egen period",
    "reference": "sidopanel: jämförelse",
    "shared_screen": "sidopanel: delad skärm vid skrivbordet",
    SHARED_SCREEN_MEETING: "sidopanel: delad skärm på mötet",
    "demo_role": "demoläge: vald roll",
    "signin_password": "inloggning: lösenordsfältet (töms)",
    "_signed_out_reason": "varför personen loggades ut",
    # EST-möte
    "meeting_pick": "valt möte", "meeting_next": "möte att öppna efter omkörning",
    "agenda_index": "dagordningens punkt", "agenda_shown": "visad punkt i presentationsläget",
    # Åtgärder
    "act_edit_id": "åtgärd som redigeras", "act_tab": "vald flik",
    "act_unlinked_saved": "sparad åtgärd som inte svarar mot något",
    # Importera
    "category_version": "kategorimappningens version", "import_crs": "valt koordinatsystem",
    "import_last_report": "senaste importens rapport",
    # Överenskommelse and its correction view
    "agr_key": "uppladdad fils nyckel", "agr_saved": "sparad överenskommelse", "agr_doc": "dokumentet som rättas",
    "agr_from": "flytta från", "agr_to": "flytta till", "agr_pick": "valt åtagande",
    "agr_notice": "meddelande efter rättning", "agr_last_selection": "senaste val i listan",
    "agr_follow_open": "öppnat åtagande i uppföljningen", "agr_follow_goto": "åtgärd att öppna",
    # Platser
    "place_click": "klick i kartan", "place_id": "vald plats",
    # Rapporter
    "report_request": "begärt dokument",
    # Samhällsplanering
    "plan_drawn": "ritat planområde", "plan_pick": "vald plan", "plan_report_request": "begärd bedömning",
    "plan_source": "planområdets källa", "_plan_goto": "plan att öppna efter omkörning",
    # Trygghetsvandringar
    "walk_id": "vald vandring", "walk_view": "vald vy", "_walk_goto": "vandring att öppna efter omkörning",
    # Rapportera (the reporter's phone page)
    "rp_pending": "observationer som inte skickats än", "rp_error": "felmeddelande i formuläret",
    "rp_point": "vald punkt", "rp_seen": "senast sedda kartklick", "rp_warning": "varning om personuppgifter",
}
