"""What a closed meeting froze has a declared type (issue 22, item 5): workbench.meeting's
MeetingSnapshot with SNAPSHOT_SCHEMA. A snapshot written today reads back identically, and one
closed by this program (tests/store/data/meeting_snapshot_v1.json, written on 2026-12-04) still
reads and still makes its protokoll, whatever is renamed later."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.builders import make_org
from workbench.config import Settings
from workbench.meeting import SNAPSHOT_KEYS, SNAPSHOT_SCHEMA, SnapshotTooNewError, read_snapshot
from workbench.reports.html import render_html
from workbench.reports.meeting_docs import minutes_document
from workbench.services import meetings as service
from workbench.store import meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store

FROZEN = Path(__file__).with_name("data") / "meeting_snapshot_v1.json"


def _closed(db_url):
    store = open_store(db_url)
    org = make_org(store)
    settings = Settings.load({}, db_url=db_url)
    areas = repo.load_areas(store.engine, [org]).set_index("name")["id"].astype(int).to_dict()
    meeting_id = service.start(store, org, kind="month", end=date(2026, 10, 31),
                               area_ids=[areas["Norr"], areas["Söder"]], actor="samordnare",
                               meeting_date=date(2026, 11, 5))
    version = meetings.get_meeting(store.engine, org, meeting_id)["version"]
    version = service.set_status(store, org, meeting_id, version, areas["Norr"], "orange",
                                 "Fler skadegörelser vid skolan", settings=settings, actor="samordnare")
    service.record_decision(store, org, meeting_id, {"text": "Belysning vid skolan", "responsible_party": "Kommunen",
                                                     "due_date": date(2026, 12, 1), "public": True},
                            actor="samordnare")
    written = service.close(store, settings, org, meeting_id, version, actor="samordnare")
    return store, settings, org, meeting_id, written


def test_a_snapshot_written_today_reads_back_identically(db_url):
    store, settings, org, meeting_id, written = _closed(db_url)
    assert set(written) == SNAPSHOT_KEYS and written["schema"] == SNAPSHOT_SCHEMA
    stored = meetings.get_meeting(store.engine, org, meeting_id)["snapshot"]
    assert stored == json.loads(json.dumps(written))  # JSON as it was written, nothing lost
    assert service.build_snapshot(store, settings, org, meeting_id) == stored


def test_a_snapshot_closed_by_this_version_still_reads_and_makes_its_minutes():
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    snapshot = read_snapshot(frozen)
    assert set(snapshot) == SNAPSHOT_KEYS, "a key was renamed: bump SNAPSHOT_SCHEMA and upgrade in read_snapshot"
    assert snapshot["schema"] == 1
    page = render_html(minutes_document(dict(snapshot)))
    assert "Protokoll" in page and "Norr" in page and "Belysning vid skolan" in page


def test_a_snapshot_from_a_newer_program_is_refused_in_swedish():
    with pytest.raises(SnapshotTooNewError, match="nyare version av programmet"):
        read_snapshot({"schema": SNAPSHOT_SCHEMA + 1})
    assert read_snapshot({"id": 1})["id"] == 1  # before the version number: schema 1
