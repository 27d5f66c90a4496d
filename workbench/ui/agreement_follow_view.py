"""Follow-up of the agreement on Överenskommelse: per commitment the status of its åtgärder
(status columns next to the commitment, no sideways scrolling), and the åtgärder that answer a
chosen commitment, each openable: in Åtgärder's edit form for those who may edit, here for the
others. A medborgarlöfte's promises are rows of their own (named by their medborgarlöfte), with
the åtgärder linked to the promise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench.services.agreements import actions_per_commitment
from workbench.store.loop import ACTION_STATUSES
from workbench.ui.action_links import promise_phrase
from workbench.ui.labels import label_of
from workbench.ui.state import plain
from workbench.ui.text_sv import shortened

NONE = "⚠ ingen åtgärd"


def _date(value) -> str:
    return "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)[:10]


ACTIONS_PAGE, ACTION_PARAM = "app_pages/atgarder.py", "atgard"  # ?atgard=ID: its edit form
_GOTO = "agr_follow_goto"


def _open_in_actions_page() -> None:
    """The chosen åtgärd is opened in Åtgärder's edit form (on the next run: a callback cannot
    switch pages); the choice is cleared so coming back does not open it again."""
    st.session_state[_GOTO] = st.session_state.get("agr_follow_open")
    st.session_state["agr_follow_open"] = None


def follow_up_view(follow: pd.DataFrame, actions: pd.DataFrame, *, can_edit: bool = False) -> None:
    """The follow-up table; a person who may edit åtgärder opens one in its edit form, others
    see it here."""
    if (goto := st.session_state.pop(_GOTO, None)) is not None:
        st.switch_page(ACTIONS_PAGE, query_params={ACTION_PARAM: str(int(goto))})
    missing = int(follow["without_action"].sum())
    pledges = int((follow["kind"] == "citizen_promise").sum()) if "kind" in follow else 0
    st.markdown(f"**{len(follow)} åtaganden, {missing} utan någon åtgärd.**"
                + (f" Varav {int(pledges)} löften i medborgarlöften." if pledges else ""))
    per_commitment = actions_per_commitment(follow, actions)
    ids = [int(i) for i in follow["id"]]
    st.dataframe(pd.DataFrame({
        "Nr": range(1, len(follow) + 1),
        "Åtagande": [promise_phrase(p, t) if k == "citizen_promise" else f"{p}: {t}"  # a promise reads as one
                     for p, t, k in zip(follow["party"], follow["text"],
                                        follow.get("kind", pd.Series([""] * len(follow))), strict=True)],
        **{s.capitalize(): follow[s] for s in ACTION_STATUSES},
        "Utan åtgärd": follow["without_action"].map({True: NONE, False: ""}),
        "Åtgärder": ["; ".join(f"{int(a.id)} {a.text} ({a.status})"  # whole: the cell truncates
                               for a in per_commitment[cid].itertuples()) for cid in ids],
        "Fokusområde": follow["focus_area"], "Överenskommelse": follow["agreement"],
    }), hide_index=True, width="stretch", key="agr_follow", column_config={
        "Nr": st.column_config.NumberColumn(width=40),
        "Åtagande": st.column_config.TextColumn(width="medium", help="Part: åtagandet"),
        **{s.capitalize(): st.column_config.NumberColumn(width=80) for s in ACTION_STATUSES},
        "Utan åtgärd": st.column_config.TextColumn(width=120),
        "Åtgärder": st.column_config.TextColumn(width="medium"),
    })
    st.markdown("**Åtgärder som svarar mot ett åtagande" + (" eller ett medborgarlöfte**" if pledges else "**"))
    labels = {cid: f"{n}. {shortened(text, 80)} – {len(per_commitment[cid])} åtgärder"
              for n, (cid, text) in enumerate(zip(ids, follow["text"], strict=True), start=1)}
    chosen = st.selectbox("Åtagande", ids, index=None, key="agr_follow_pick",
                          format_func=label_of(labels), placeholder="Välj ett åtagande")
    if chosen is None:
        return
    linked = per_commitment[chosen]
    if linked.empty:
        st.info("Ingen åtgärd svarar mot åtagandet ännu – lägg till en under Åtgärder eller på EST-mötet.")
        return
    st.dataframe(pd.DataFrame({
        "Id": linked["id"], "Åtgärd": linked["text"], "Status": linked["status"],
        "Ansvarig": linked["responsible_party"], "Klart senast": linked["due_date"].map(_date),
        "Försenad": linked["overdue"].map({True: "ja", False: ""}),
    }), hide_index=True, width="stretch", key="agr_follow_actions")
    titles = {int(a.id): f"{int(a.id)}: {shortened(a.text, 70)} ({a.status})" for a in linked.itertuples()}
    opened = st.selectbox("Öppna åtgärd" + (" för att ändra den" if can_edit else ""), list(titles),
                          index=None, key="agr_follow_open", format_func=label_of(titles),
                          placeholder="Välj en åtgärd",
                          on_change=_open_in_actions_page if can_edit else None)
    if opened is None:
        return
    action = actions.set_index("id").loc[opened]
    with st.container(border=True, key="agr_follow_opened"):
        st.markdown(f"**Åtgärd {opened}: {plain(action['text'])}**")
        st.markdown(
            f"Status: **{plain(action['status'])}** · Ansvarig: {plain(action['responsible_party'])}"
            + (f" ({plain(action['responsible_role'])})" if isinstance(action.get('responsible_role'), str) else "")
            + f" · Start: {_date(action.get('start_date'))} · Klart senast: {_date(action.get('due_date'))}"
            + (" · **försenad**" if bool(action.get("overdue")) else ""))
        if isinstance(action.get("place"), str):
            st.markdown(f"Plats: {plain(action['place'])}")
        if isinstance(action.get("follow_up_method"), str):
            st.markdown(f"Uppföljning: {plain(action['follow_up_method'])}")
        st.markdown(f"Svarar mot: {plain(action.get('answers') or action['commitments']) or '–'}")
        st.page_link(ACTIONS_PAGE, label=f"Åtgärd {opened} under Åtgärder", icon="📋")
