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


def test_two_police_read_the_million_once_and_housing_gets_its_own(people, demo_db, monkeypatch):
    reads: list[tuple[int, ...]] = []
    real = hs.load_events

    def counting(store, organisation_ids, **kwargs):
        reads.append(tuple(organisation_ids))
        return real(store, organisation_ids, **kwargs)

    monkeypatch.setattr(hs, "load_events", counting)
    st.cache_resource.clear()
    version = cached.data_version(demo_db, people["anna"])
    first = cached.counted_events(demo_db, people["anna"], version)
    second = cached.counted_events(demo_db, people["bo"], version)
    assert second is first and len(reads) == 1
    assert {"x", "y"} <= set(first.columns)

    housing = cached.counted_events(demo_db, people["dan"], version)
    assert len(reads) == 2 and cached.counted_events(demo_db, people["eva"], version) is housing
    assert "x" not in housing.columns and housing["area_id"].nunique() == 1
    other = cached.counted_events(demo_db, people["fia"], version)
    assert len(reads) == 3 and set(other["area_id"].dropna()) != set(housing["area_id"].dropna())
