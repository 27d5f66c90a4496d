"""Signed-in users with the same access share the cached frames; other access never does."""

from __future__ import annotations

import pytest
import streamlit as st

from workbench.access.scope import open_scope, sign_in_local
from workbench.services import hotspots as hs
from workbench.store import accounts
from workbench.store.db import open_store
from workbench.ui import cached

ORG = "Borås stad"
PASSWORD = "ett-långt-lösenord-42"


@pytest.fixture
def people(demo_db):
    store = open_store(demo_db)
    users = {"anna": ("police", None), "bo": ("police", None), "cia": ("coordinator", None),
             "dan": ("housing", ["Norrby"]), "eva": ("housing", ["Norrby"]), "fia": ("housing", ["Hässleholmen"])}
    for name, (role, areas) in users.items():
        if accounts.get_user(store.engine, name) is None:
            accounts.add_user(store.engine, name, organisation=ORG, role=role, password=PASSWORD,
                              areas=areas, actor="test")
    return {name: open_scope(store, sign_in_local(store, name, PASSWORD), ORG) for name in users}


def test_shared_scope_drops_only_the_person(people):
    anna, bo = people["anna"], people["bo"]
    assert anna != bo and anna.actor == "anna"
    assert anna.shared() == bo.shared() and hash(anna.shared()) == hash(bo.shared())
    assert anna.shared().permissions == anna.permissions and anna.shared().points
    assert people["dan"].shared() == people["eva"].shared()
    # another role or other areas is other access: never the same cache entry
    assert len({people[n].shared() for n in ("anna", "cia", "dan", "fia")}) == 4


def test_two_police_count_once_and_housing_gets_its_own_without_reading_events(people, demo_db,
                                                                              monkeypatch):
    """Översikt's figures: one count in the database per access (two police share it, two
    housing users of Norrby share theirs, Hässleholmen's is another), and no event frame read."""
    from datetime import date

    from workbench.store import aggregates

    counted: list[tuple[int, ...] | None] = []
    real = aggregates.area_source_counts

    def counting(engine, selection):
        counted.append(selection.area_ids)
        return real(engine, selection)

    def every_event(*_args, **_kwargs):
        raise AssertionError("every stored event read")

    monkeypatch.setattr(aggregates, "area_source_counts", counting)
    monkeypatch.setattr(hs, "load_events", every_event)
    st.cache_data.clear()
    span = (date(2026, 10, 1), date(2026, 10, 31), date(2026, 9, 1), date(2026, 9, 30))
    first = cached.overview(demo_db, people["anna"], *span)
    second = cached.overview(demo_db, people["bo"], *span)
    assert second[0].equals(first[0]) and len(counted) == 2  # the period and the reference, once
    assert len(first[0]) > 2 and first[1]["current"].sum() > 0

    housing = cached.overview(demo_db, people["dan"], *span)
    assert len(counted) == 4 and cached.overview(demo_db, people["eva"], *span)[0].equals(housing[0])
    assert len(counted) == 4 and list(housing[0]["area"]) == ["Norrby"]
    assert housing[1]["current"].sum() < first[1]["current"].sum()
    other = cached.overview(demo_db, people["fia"], *span)
    assert len(counted) == 6 and list(other[0]["area"]) == ["Hässleholmen"]
