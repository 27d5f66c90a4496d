"""A saved trygghetsbedömning has a type (issue 22, item 5): its checklist and key figures read
back identically, a version stored by the program before the schema number still reads, and a
renamed key breaks a test here rather than an old plan's page."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import shapely
import sqlalchemy as sa

from tests.builders import make_org
from tests.store.test_planning import norra_check
from workbench.planning.stored import (
    ASSESSMENT_SCHEMA,
    CHECKLIST_ITEM_KEYS,
    FIGURES_KEYS,
    AssessmentTooNewError,
)
from workbench.services import planning
from workbench.store.db import open_store

# One plan_assessment row exactly as the program stored it on 2026-12-04 (before the schema
# number): two of nine items shown, the figures of a 15 ha plan. Never edit: it is the old
# program's output, and it must keep reading.
STORED_2026_12_04 = {
    "checklist": json.loads("""[
      {"key": "design", "assessment": "not_assessed", "comment": "",
       "suggestion": "1 signifikant hot-spot-ruta för polisanmälda händelser inom 200 m."},
      {"key": "lighting", "assessment": "needs_action", "comment": "Belys gångvägen mot skolan",
       "suggestion": "Anmärkningar om belysning inom 200 m (3 felanmälningar om trasig belysning)."}
    ]"""),
    "figures": json.loads("""{
      "period": ["2025-10-21", "2026-10-20"], "buffer_m": 200.0, "area_m2": 150312.4,
      "incidents": {"inside": "24", "ring": "<3"}, "faults": {"inside": "5", "ring": "7"},
      "walks": {"inside": "<3", "ring": "0"}, "hot_cells": 1, "places": ["Gångtunneln"],
      "suggestions": {"design": "1 signifikant hot-spot-ruta för polisanmälda händelser inom 200 m."}
    }"""),
}


def _plan(store, org_id: int, *, checklist, figures, version: int = 1) -> int:
    """A plan with one version written straight into the tables (as an older program did)."""
    geometry = shapely.to_wkb(shapely.box(376400, 6400400, 376700, 6400600))
    now = datetime(2026, 12, 4, 14, 0)
    with store.engine.begin() as conn:
        plan_id = conn.execute(sa.text(
            "INSERT INTO plan_area (organisation_id, name, geom_wkb, buffer_m, created_by, created_at, "
            "updated_at, version) VALUES (:o, 'Gamla planen', :g, 200, 'planerare', :t, :t, :v) RETURNING id"),
            {"o": org_id, "g": geometry, "t": now, "v": version}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO plan_assessment (plan_area_id, version, saved_at, saved_by, geom_wkb, buffer_m, "
            "checklist, figures) VALUES (:p, :v, :t, 'planerare', :g, 200, :c, :f)"),
            {"p": plan_id, "v": version, "t": now, "g": geometry, "c": json.dumps(checklist),
             "f": json.dumps(figures)})
    return int(plan_id)


def test_a_version_stored_before_the_schema_number_reads_into_the_types(db_url):
    store = open_store(db_url)
    org_id = make_org(store)
    plan_id = _plan(store, org_id, **STORED_2026_12_04)
    saved = planning.stored_plan(store, org_id, plan_id)
    assert saved["checklist"] == STORED_2026_12_04["checklist"]
    assert all(set(item) == CHECKLIST_ITEM_KEYS for item in saved["checklist"])
    assert saved["figures"] == STORED_2026_12_04["figures"] | {"schema": 1}
    assert set(saved["figures"]) == FIGURES_KEYS  # every declared key is in the old row, no other
    [version] = planning.history(store, org_id, plan_id)
    assert version["checklist"] == saved["checklist"] and version["figures"] == saved["figures"]


def test_a_version_saved_today_reads_back_identically(db_url):
    store, settings, org_id, result = norra_check(db_url, "Norra kvarteret")
    checklist = [{"key": "lighting", "assessment": "needs_action", "comment": "Belys gångvägen"}]
    plan_id = planning.create(store, settings, org_id, result, name="Norra kvarteret", reference=None,
                              source="plan.geojson", actor="planerare", checklist=checklist)
    figures = planning.summary(result, settings.min_count)
    assert figures["schema"] == ASSESSMENT_SCHEMA and set(figures) == FIGURES_KEYS
    saved = planning.stored_plan(store, org_id, plan_id)
    assert saved["figures"] == figures
    assert [(i["key"], i["assessment"], i["comment"]) for i in saved["checklist"]][5] == (
        "lighting", "needs_action", "Belys gångvägen")
    assert all(set(item) == CHECKLIST_ITEM_KEYS for item in saved["checklist"])
    assert saved["checklist"][5]["suggestion"] == result.suggestions["lighting"]
    with store.engine.connect() as conn:  # what is on disk is what was read
        stored = conn.execute(sa.text("SELECT checklist, figures FROM plan_assessment")).one()
    as_json = [json.loads(v) if isinstance(v, str) else v for v in stored]
    assert as_json == [saved["checklist"], saved["figures"]]


def test_a_version_from_a_newer_program_is_refused_not_misread(db_url):
    store = open_store(db_url)
    org_id = make_org(store)
    plan_id = _plan(store, org_id, checklist=[], figures=STORED_2026_12_04["figures"] | {"schema": 2})
    with pytest.raises(AssessmentTooNewError, match="nyare version"):
        planning.stored_plan(store, org_id, plan_id)
