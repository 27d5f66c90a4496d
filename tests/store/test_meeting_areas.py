"""EST-möte and its documents cut to the reader's areas at read time (issue 15, item 3).

A housing company limited to Ägarbacken must never receive Hemligdalen's name, counts, fault
reports, status, hot-spot cells, actions or decisions — not in an open meeting's figures, not
in a closed meeting's frozen snapshot, not in a document. Hemligdalen is planted with names,
categories and texts that occur nowhere else, so any leak is found by a text search; a
coordinator and a viewer (who read every area) see the same plants, so the search can fail.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import geopandas as gpd
import openpyxl
import pypdf
import pyproj
import pytest
import shapely

from tests.builders import incidents_csv
from workbench import roles as r
from workbench.access import gate
from workbench.access.scope import open_scope, sign_in_local
from workbench.config import Settings
from workbench.errors import AccessDenied
from workbench.services import imports
from workbench.services import meetings as meeting_service
from workbench.situation import Period
from workbench.store import accounts, loop, meetings
from workbench.store import repositories as repo
from workbench.store.db import open_store

ORG = "Scopekommun"
OWN, OTHER = "Ägarbacken", "Hemligdalen"
OWN_BOX = shapely.box(376000, 6397000, 379000, 6400000)  # 3 × 3 km: a grid Gi* can work on
OTHER_BOX = shapely.box(376000, 6400000, 379000, 6403000)
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
PASSWORD = "ett-langt-losenord-15"
# only in Hemligdalen: its name, a category, a fault type, a status, a decision, an action
OTHER_PLANTS = (OTHER, "Olaga hot", "Trasig belysning", "Oro vid tunneln X7", "Beslut Z9 om dalen",
                "Åtgärd Q5 i dalen")
OWN_PLANTS = (OWN, "Beslut B3 i backen")
KINDS = [("minutes", "html"), ("minutes", "pdf"), ("feedback", "html"), ("feedback", "pdf"),
         ("action-plan", "html"), ("action-plan", "pdf"), ("action-plan", "xlsx"),
         ("situation", "html"), ("situation", "pdf"), ("agreement-follow-up", "html")]
WHOLE_ORGANISATION = {"situation", "agreement-follow-up"}  # refused to a limited reader


def _faults_csv(rows: list[tuple[str, float, float]]) -> bytes:
    to_wgs84 = pyproj.Transformer.from_crs(3006, 4326, always_xy=True)
    lines = ["Ärendenr;Kategori;Registrerad;Åtgärdad;Status;Beskrivning;Latitud;Longitud"]
    for i, (category, x, y) in enumerate(rows):
        lon, lat = to_wgs84.transform(x, y)
        lines.append(f"FA-2026-{i:06d};{category};2026-10-{5 + i % 20:02d} 08.00;;Registrerad;;"
                     f"{lat:.6f}".replace(".", ",") + f";{lon:.6f}".replace(".", ","))
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """Ägarbacken (30 skadegörelser in one spot, klotter) and Hemligdalen (37 misshandel and 5 olaga hot in one
    spot, trasig belysning); a closed and an open meeting on both; one account per role."""
    url = f"sqlite:///{tmp_path_factory.mktemp('meeting-areas') / 'm.sqlite'}"
    store = open_store(url)
    settings = Settings.load({}, db_url=url)
    areas = gpd.GeoDataFrame({"name": [OWN, OTHER]}, geometry=[OWN_BOX, OTHER_BOX], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), "omraden.geojson", ORG)
    rows = [("Misshandel", date(2026, 10, 1 + i % 28), 376500 + i % 3, 6400500) for i in range(37)]
    rows += [("Olaga hot", date(2026, 10, 2 + i), 376520, 6400520) for i in range(5)]
    rows += [("Misshandel", date(2026, 9, 2 + i), 376510, 6400510) for i in range(6)]
    rows += [("Skadegörelse", date(2026, 10, 3 + i % 25), 377600, 6398100) for i in range(30)]
    # a thin background over both areas (the other area's share only), so the spot stands out
    rows += [("Skadegörelse", date(2026, 10, 1 + i % 28), 376100 + 370 * (i % 8), 6397100 + 370 * (i // 8))
             for i in range(128)]
    imports.import_table(store, "incidents", incidents_csv(rows), "polisen.csv", ORG)
    imports.import_table(store, "fault-reports", _faults_csv(
        [("Trasig belysning", 376400, 6400400)] * 4 + [("Klotter", 376300, 6399300)] * 4), "fel.csv", ORG)
    org = repo.find_organisation(store.engine, ORG)
    ids = repo.load_areas(store.engine, [org]).set_index("name")["id"].astype(int).to_dict()
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Åtgärd Q5 i dalen", "responsible_party": "Kommunen",
                                       "area_id": ids[OTHER], "status": "pågår", "public": True},
                           actor="test")
    closed = meeting_service.start(store, org, kind="month", end=OCTOBER.end, actor="test",
                                   area_ids=[ids[OWN], ids[OTHER]], meeting_date=date(2026, 11, 3))
    version = meetings.get_meeting(store.engine, org, closed)["version"]
    for area, text in ((OTHER, "Oro vid tunneln X7"), (OWN, "Lugnt i backen")):
        version = meeting_service.set_status(store, org, closed, version, ids[area], "gul", text,
                                             settings=settings, actor="test")
    for area, text in ((OTHER, "Beslut Z9 om dalen"), (OWN, "Beslut B3 i backen")):
        meeting_service.record_decision(store, org, closed, {
            "text": text, "responsible_party": "Polisen", "area_id": ids[area], "status": "planerad",
            "public": True}, actor="test")
    meeting_service.close(store, settings, org, closed, version, actor="test")
    opened = meeting_service.start(store, org, kind="month", end=OCTOBER.end, actor="test",
                                   area_ids=[ids[OTHER], ids[OWN]], meeting_date=date(2026, 11, 20))
    for role in ("coordinator", "housing", "viewer"):
        accounts.add_user(store.engine, f"{role}-m", organisation=ORG, role=role, password=PASSWORD,
                          areas=[OWN] if role == "housing" else None, actor="test")
    scopes = {role: open_scope(store, sign_in_local(store, f"{role}-m", PASSWORD), ORG)
              for role in ("coordinator", "housing", "viewer")}
    # a reader limited to its areas who may export (no such role today; the cut must not
    # depend on the permission table)
    scopes["limited exporter"] = replace(scopes["housing"],
                                         permissions=scopes["housing"].permissions | {r.EXPORT})
    return store, settings, scopes, {"closed": closed, "open": opened}, ids


def _text(data) -> str:
    if isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False, default=str)
    if data.startswith(b"%PDF"):
        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    if data.startswith(b"PK"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                         for c in row if c is not None)
    return data.decode("utf-8")


def _leaks(text: str) -> list[str]:
    return [p for p in OTHER_PLANTS if p in text]


def _inside(cells, box) -> bool:
    return all(box.contains(shapely.Point(c["x0"] + c["cell"] / 2, c["y0"] + c["cell"] / 2)) for c in cells)


# --- the meeting on screen --------------------------------------------------------------------

@pytest.mark.parametrize("which", ["open", "closed"])
def test_a_housing_reader_sees_only_its_areas_in_a_meeting(town, which):
    store, settings, scopes, ids_of, ids = town
    meeting_id = ids_of[which]
    own_police = None
    for role, limited in (("coordinator", False), ("viewer", False), ("housing", True)):
        scope = scopes[role]
        meeting = gate.meeting(store, scope, meeting_id)
        data = gate.meeting_figures(store, settings, scope, OCTOBER, list(meeting["area_ids"]))
        snapshot = gate.meeting_snapshot(store, settings, scope, meeting_id, data=data)
        names = [a["area"] for a in snapshot["areas"]]
        text = _text(data) + _text(snapshot) + _text(meeting)
        if not limited:  # the contrast: the plants are there for a reader of every area
            assert sorted(names) == sorted([OWN, OTHER])
            assert not _leaks(text) or set(_leaks(text)) >= {OTHER, "Olaga hot"}
            assert any(not _inside([c], OWN_BOX) for c in snapshot["hot_cells"])
            own_police = next(a["police"] for a in snapshot["areas"] if a["area"] == OWN)
            continue
        assert names == [OWN], (role, which)
        assert _leaks(text) == [], (role, which, _leaks(text))
        assert snapshot["total"] is None and data["total"] is None  # the whole kommun's figures
        assert _inside(snapshot["hot_cells"], OWN_BOX) and _inside(data["hot_cells"], OWN_BOX)
        assert set(data["area_names"]) == {ids[OWN]} and list(data["areas"]) == [ids[OWN]]
        assert set(meeting["area_ids"]) == {ids[OWN]}
        assert set(meeting["area_statuses"]) <= {str(ids[OWN])}
        assert [d["text"] for d in snapshot["decisions"]] == (["Beslut B3 i backen"] if which == "closed" else [])
        assert snapshot["areas"][0]["police"] == own_police  # its own figures, unchanged
        assert snapshot["hot_cells"]  # the cells inside its area are kept
        emerging = snapshot.get("emerging") or {}
        assert set(emerging.get("areas") or {}) <= {str(ids[OWN])}


def test_the_coordinator_sees_hemligdalen_everywhere(town):
    """The plants are where a reader of every area finds them (else the tests above prove nothing)."""
    store, settings, scopes, ids_of, _ = town
    scope = scopes["coordinator"]
    snapshot = gate.meeting_snapshot(store, settings, scope, ids_of["closed"], data={})
    assert set(_leaks(_text(snapshot))) == set(OTHER_PLANTS)
    other = next(a for a in snapshot["areas"] if a["area"] == OTHER)
    assert other["police"]["current"] > 42 and other["faults"]["current"] == 4


def test_figures_asked_for_another_area_are_not_given(town):
    """A page (or a changed request) asking for Hemligdalen's figures by id gets nothing of it."""
    store, settings, scopes, _, ids = town
    data = gate.meeting_figures(store, settings, scopes["housing"], OCTOBER, [ids[OTHER]])
    assert data["areas"] == {} and _leaks(_text(data)) == [] and data["hot_cells"] == []
    # and a snapshot built from the coordinator's figures is cut all the same
    full = gate.meeting_figures(store, settings, scopes["coordinator"], OCTOBER, [ids[OTHER], ids[OWN]])
    snapshot = gate.meeting_snapshot(store, settings, scopes["housing"], town[3]["open"], data=full)
    assert [a["area"] for a in snapshot["areas"]] == [OWN] and _leaks(_text(snapshot)) == []


# --- documents: kind × role --------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "fmt"), KINDS, ids=[f"{k}-{f}" for k, f in KINDS])
@pytest.mark.parametrize("role", ["housing", "viewer", "coordinator", "limited exporter"])
def test_every_document_is_cut_to_the_readers_areas_and_permissions(town, role, kind, fmt):
    store, settings, scopes, ids_of, _ = town
    scope = scopes[role]
    meeting_id = ids_of["closed"] if kind in ("minutes", "feedback") else None
    period = None if kind in ("minutes", "action-plan", "agreement-follow-up") else OCTOBER

    def build(on_screen=False):
        return gate.report(store, settings, scope, kind, fmt, period=period, meeting_id=meeting_id,
                           on_screen=on_screen).data

    if not scope.can(r.EXPORT):  # viewer, housing: no file of any kind
        with pytest.raises(AccessDenied, match="ta ut rapporter"):
            build()
        if (kind, fmt) != ("minutes", "html"):
            return
        text = _text(build(on_screen=True))  # reading the closed meeting on screen
    elif scope.area_ids is not None and kind in WHOLE_ORGANISATION:
        with pytest.raises(AccessDenied, match="bara ser sina egna områden"):
            build()
        return
    elif kind == "agreement-follow-up":  # no agreement in this town: the clear refusal
        with pytest.raises(Exception, match="ingen samverkansöverenskommelse"):
            build()
        return
    else:
        text = _text(build())
    if scope.area_ids is None:  # coordinator, viewer: every area, so the plants are there
        assert OTHER in text or "Åtgärd Q5 i dalen" in text, (role, kind, fmt)
    else:
        assert _leaks(text) == [], (role, kind, fmt, _leaks(text))
        if kind in ("minutes", "feedback"):
            assert OWN in text


def test_the_cli_writes_no_minutes_for_housing(town, tmp_path, monkeypatch, capsys):
    from workbench import cli

    monkeypatch.setenv("WORKBENCH_PASSWORD", PASSWORD)
    out = tmp_path / "protokoll.html"
    code = cli.main(["report", "minutes", "--organisation", ORG, "--out", str(out),
                     "--db", town[0].url, "--user", "housing-m"])
    assert code == 2 and not out.exists()
    assert "ta ut rapporter" in capsys.readouterr().err


def test_the_actions_a_housing_reader_gets_are_its_areas_and_the_kommuns(town):
    """gate.actions (Åtgärder, the agreement's follow-up) cut the same way as the documents."""
    store, _, scopes, _, ids = town
    org = scopes["coordinator"].organisation_id
    with store.transaction() as conn:
        loop.create_action(conn, org, {"text": "Hela kommunen A1", "responsible_party": "Kommunen"}, actor="test")
    everything = gate.actions(store, scopes["coordinator"])
    assert {"Åtgärd Q5 i dalen", "Beslut Z9 om dalen", "Hela kommunen A1"} <= set(everything["text"])
    assert set(gate.actions(store, scopes["viewer"])["text"]) == set(everything["text"])
    own = gate.actions(store, scopes["housing"])
    assert set(own["text"]) == {"Beslut B3 i backen", "Hela kommunen A1"}
    assert set(own["area_id"].dropna().astype(int)) == {ids[OWN]}
