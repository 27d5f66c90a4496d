"""Hot-spots över tid in the EST meeting (per area, frozen in the snapshot) and in the lägesbild."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from workbench.config import Settings
from workbench.hotspots.emerging import CLASSES
from workbench.reports.emerging_section import emerging_sections
from workbench.services import meetings, reports
from workbench.situation import Period
from workbench.store import repositories as repo
from workbench.store.db import open_store
from workbench.ui.meeting_over_time import line_for

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    source = demo_db.removeprefix("sqlite:///")
    target = tmp_path / "demo.sqlite"
    shutil.copy(source, target)
    return f"sqlite:///{target}"


def test_meeting_figures_name_the_areas_new_and_intensifying_cells(demo_copy):
    store = open_store(demo_copy)
    settings = Settings.load(db_url=demo_copy)
    org = int(repo.list_organisations(store.engine)["id"].iloc[0])
    areas = repo.load_areas(store.engine, [org])
    ids = [int(i) for i in areas["id"]]
    data = meetings.figures(store, settings, org, OCTOBER, ids)
    over_time = data["emerging"]
    assert over_time["steps"] == 24 and over_time["to"] == "2026-10-31"
    assert set(over_time["counts"]) <= set(CLASSES) and over_time["line"]
    per_area = {i: data["areas"][i]["emerging"] for i in ids}
    total = {}
    for info in per_area.values():
        for key, n in info["counts"].items():
            total[key] = total.get(key, 0) + n
    for key, n in total.items():  # every area's cells are cells of the whole kommun
        assert n <= over_time["counts"][key]
    centrum = int(areas.set_index("name").loc["Centrum", "id"])
    line = line_for({"emerging": over_time}, data["areas"][centrum]).replace("\\", "")  # Markdown escapes
    assert line.startswith("**Hot-spots över tid** (24 hela månader till 2026-10-31): ")
    assert "hot-spot-rut" in line
    assert line_for({"emerging": over_time}, {"area": "x"}) is None  # meetings closed before


def test_lagesbild_has_the_section(demo_copy):
    store = open_store(demo_copy)
    settings = Settings.load(db_url=demo_copy)
    org = int(repo.list_organisations(store.engine)["id"].iloc[0])
    data = reports.situation_data(store, settings, org, OCTOBER)
    assert data.emerging["steps"] == 24
    html = reports.build("situation", "html", store, settings, org, period=OCTOBER).data.decode()
    assert 'id="hot-spots-over-tid"' in html
    assert "24 hela månader 2024-11-01 – 2026-10-31" in html
    assert "Hot-spot-rutor per område och mönster" in html
    sections = emerging_sections({"note": "Perioden rymmer 2 hela tidssteg"}, {})
    assert sections[0].blocks[0].text == "Perioden rymmer 2 hela tidssteg"
    assert emerging_sections(None, {}) == ()


def test_closed_meeting_keeps_the_line_in_its_snapshot_and_minutes(sqlite_url):
    from tests.builders import make_org
    from workbench.store import meetings as meeting_store

    store = open_store(sqlite_url)
    org = make_org(store)
    settings = Settings.load(db_url=sqlite_url)
    ids = [int(i) for i in repo.load_areas(store.engine, [org]).sort_values("name")["id"]]  # Norr, Söder
    meeting_id = meetings.start(store, org, kind="month", end=date(2026, 10, 31), area_ids=ids, actor="t")
    version = meeting_store.get_meeting(store.engine, org, meeting_id)["version"]
    meetings.close(store, settings, org, meeting_id, version, actor="t")
    snapshot = meeting_store.get_meeting(store.engine, org, meeting_id)["snapshot"]
    assert snapshot["emerging"]["steps"] == 24
    norr = next(a for a in snapshot["areas"] if a["area"] == "Norr")
    assert norr["emerging"]["line"] == "9 nya hot-spot-rutor"  # 20 incidents in October, none before
    html = reports.build("minutes", "html", store, settings, org, meeting_id=meeting_id).data.decode()
    assert "Hot-spots över tid (de senaste hela månaderna): 9 nya hot-spot-rutor." in html
