"""Issue 15, item 4: personal data is scanned on every write, in one place below the pages.

Every text and JSON column of every table is either scanned by the store's hook or declared a
code with a reason; the hook redacts whatever statement writes a scanned column; and the real
write paths (import, places, actions, cause analyses, agreements, meetings, plans, profiles,
category mappings, the audit log, import problems) leave none of the planted values anywhere
in the database.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import JSON, String, Text, insert, update

from tests.builders import NORR, ORG, incidents_csv
from workbench.config import Settings
from workbench.services import imports, loop, meetings, planning
from workbench.services.places import create_place
from workbench.store import privacy
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

# The variants of issue 15 (en dash, prefix, dots, 12 digits, samordningsnummer, +46, plates).
PLANTED = ["811218–9876", "811218-9876", "811218.9876", "19811218 9876", "811278-9873",
           "070.123.45.67", "070-123 45 67", "+46 70 765 43 21", "anna.svensson@example.se",
           "ABC-123", "ABC 12A", "MLB 456"]


def _text_columns():
    for table in t.ALL_TABLES:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                yield table.name, column.name


def test_every_text_column_is_scanned_or_declared_a_code():
    undeclared, both = [], []
    for table, column in _text_columns():
        scanned = column in privacy.FREE_TEXT.get(table, ())
        code = column in privacy.NOT_SCANNED.get(table, {})
        if not scanned and not code:
            undeclared.append(f"{table}.{column}")
        if scanned and code:
            both.append(f"{table}.{column}")
    assert undeclared == [] and both == []
    known = {(table.name, c.name) for table in t.ALL_TABLES for c in table.columns}
    declared = {(tb, c) for tb, cols in privacy.FREE_TEXT.items() for c in cols}
    declared |= {(tb, c) for tb, cols in privacy.NOT_SCANNED.items() for c in cols}
    assert declared <= known, declared - known


def _compiled_values(statement, multiparams=(), params=None):
    statement, multiparams, params = privacy._before_execute(None, statement, list(multiparams), params or {}, {})
    values = dict(statement.compile().params)
    for row in multiparams:
        values.update(row)
    return json.dumps(values, ensure_ascii=False, default=str)


@pytest.mark.parametrize("table,column", sorted((tb, c) for tb, cols in privacy.FREE_TEXT.items() for c in cols))
def test_the_hook_redacts_every_scanned_column_whatever_the_statement(table, column):
    target = next(tb for tb in t.ALL_TABLES if tb.name == table)
    value = (" och ".join(PLANTED) if not isinstance(target.c[column].type, JSON)
             else {"text": PLANTED[:6], "nested": [{"note": p} for p in PLANTED[6:]]})
    for statement, multi in ((insert(target).values({column: value}), ()),
                             (update(target).where(target.c[column].is_(None)).values(**{column: value}), ()),
                             (insert(target), [{column: value}])):
        written = _compiled_values(statement, multi)
        leaked = [p for p in PLANTED if p in written]
        assert leaked == [], f"{table}.{column}: {leaked}"


def _dump(store) -> str:
    """Every text and JSON value of every table, as one string."""
    parts = []
    with store.engine.connect() as conn:
        for table in t.ALL_TABLES:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if columns:
                for row in conn.execute(sa.select(*columns)):
                    parts.append(json.dumps(list(row), ensure_ascii=False, default=str))
    return "\n".join(parts)


def _leaks(store) -> list[str]:
    dump = _dump(store)
    return [p for p in PLANTED if p in dump]


def test_no_write_path_stores_planted_personal_data(sqlite_url):
    import geopandas as gpd
    import shapely

    store = open_store(sqlite_url)
    settings = Settings.load({}, db_url=sqlite_url)
    p = iter(PLANTED * 6)
    # import: area names and codes, ids, categories, area codes, free text, the file name, and
    # a rejected cell echoed into the problem list
    areas = gpd.GeoDataFrame({"name": ["Norr", f"Söder {next(p)}"], "code": ["N1", next(p)]},
                             geometry=[NORR, shapely.box(376000, 6399000, 377000, 6400000)], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), f"omraden {next(p)}.geojson", ORG)
    csv = incidents_csv([("Skadegörelse", date(2026, 10, 3), 376500, 6400500)]).decode()
    csv += (f"{next(p)};Klotter {next(p)};2026-10-04;21:30;;;6400500;376500;{next(p)};ring {next(p)}\n"
            f"5000-K999999-26;Stöld;{next(p)};21:30;;;6400500;376500;;\n")
    report = imports.import_table(store, "incidents", csv.encode(), f"export {next(p)}.csv", ORG)
    assert report.imported == 2 and report.rejected == 1
    printed = json.dumps(report.to_json(), ensure_ascii=False) + report.file_name
    assert [v for v in PLANTED if v in printed] == []  # what the CLI prints and Importera shows
    org = repo.find_organisation(store.engine, ORG)
    # the UI's write paths, through the same services the gate calls
    place = create_place(store, org, f"Torget {next(p)}", "torg", 60, 12.94, 57.721, actor="anna")
    with store.transaction() as conn:
        from workbench.store import loop as loop_store

        loop_store.create_cause_analysis(
            conn, org, place_id=place, problem=f"Klotter {next(p)}",
            triangle={"place": next(p), "offender": next(p), "target": next(p)},
            whys=[f"för att {next(p)}", next(p)], hypotheses=f"Hypotes {next(p)}", evidence=None, actor="anna")
        loop_store.save_agreement(conn, org, {
            "title": f"Överenskommelse {next(p)}", "parties": ["Polisen", next(p)],
            "focus_areas": [{"title": f"Fokus {next(p)}", "commitments": [
                {"party": "Kommunen", "party_kind": "kommun", "text": f"sanera {next(p)}"}]}],
            "actions": []}, source_text=f"Kontakt {next(p)}", actor="anna")
    action = loop.create_action(store, org, {"text": f"Belysning, ring {next(p)}", "responsible_party": next(p),
                                             "responsible_role": f"Fältare {next(p)}", "status": "planerad",
                                             "follow_up_method": f"Mejla {next(p)}"}, actor="anna")
    loop.update_action(store, org, action, 1, {"text": "Belysning i tunneln", "responsible_party": "Kommunen",
                                               "responsible_role": "Fältare", "status": "pågår",
                                               "follow_up_method": "Trygghetsvandring"}, actor="anna")
    norr = int(repo.load_areas(store.engine, [org]).set_index("name").loc["Norr", "id"])
    meeting = meetings.start(store, org, kind="month", end=date(2026, 10, 31), area_ids=[norr], actor="anna",
                             meeting_date=date(2026, 11, 5))
    version = meetings.update(store, org, meeting, 1, {"notes": f"Anteckning {next(p)}",
                                                       "public_summary": f"Sammanfattning {next(p)}"}, actor="anna")
    version = meetings.set_status(store, org, meeting, version, norr, None, f"Motivering {next(p)}",
                                  settings=settings, actor="anna")
    meetings.record_decision(store, org, meeting, {"text": f"Beslut {next(p)}", "responsible_party": "Polisen",
                                                   "status": "planerad"}, actor="anna")
    meetings.close(store, settings, org, meeting, version, actor="anna")
    imports.save_profile(store, ORG, f"Profil {next(p)}", "incidents", {"category": "Brottstyp"}, actor="anna")
    imports.map_category(store, ORG, "incident", f"Klotter {next(p)}", "vandalism", actor="anna")
    plan_area = planning.drawn_plan(shapely.geometry.mapping(shapely.box(12.93, 57.72, 12.95, 57.73)))
    period = planning.default_period(store, org)
    result = planning.check(store, settings, org, plan_area, buffer_m=200, period=period)
    checklist = [dict(item, comment=f"Kommentar {next(p)}") for item in result.checklist] \
        if hasattr(result, "checklist") else None
    plan_id = planning.create(store, settings, org, result, name=f"Plan {next(p)}", reference=f"Dnr {next(p)}",
                              source=f"plan {next(p)}.zip", actor="anna", checklist=checklist)
    stored = planning.stored_plan(store, org, plan_id)
    planning.save(store, settings, org, plan_id, stored["version"], result,
                  stored["checklist"], note=f"Ändrat efter samtal med {next(p)}", actor="anna")
    assert _leaks(store) == []
    # what the store kept still reads as what was typed, minus the personal data
    dump = _dump(store)
    for marker in ("[personnummer]", "[telefonnummer]", "[e-post]", "[registreringsnummer]"):
        assert marker in dump
    assert "Belysning i tunneln" in dump and "Skadegörelse" in dump


def test_the_audit_log_keeps_no_personal_data_even_when_the_text_is_edited_away(sqlite_url):
    store = open_store(sqlite_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, ORG)
    action = loop.create_action(store, org, {"text": "Ring 811218–9876 om klottret", "responsible_party": "Kommunen",
                                             "status": "planerad"}, actor="anna")
    loop.update_action(store, org, action, 1, {"text": "Klottret sanerat", "responsible_party": "Kommunen",
                                               "status": "genomförd"}, actor="anna")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.AuditLog.__table__.c.before, t.AuditLog.__table__.c.after)).all()
    logged = json.dumps([list(r) for r in rows], ensure_ascii=False)
    assert "811218" not in logged and "[personnummer]" in logged and "Klottret sanerat" in logged


def test_names_typed_with_personal_data_still_find_their_row(sqlite_url):
    """A re-import of the same area file updates the areas it created (names are looked up redacted)."""
    import geopandas as gpd

    store = open_store(sqlite_url)
    areas = gpd.GeoDataFrame({"name": ["Norr 811218-9876"]}, geometry=[NORR], crs="EPSG:3006")
    first = imports.import_layer(store, "areas", areas.to_json().encode(), "a.geojson", ORG)
    again = imports.import_layer(store, "areas", areas.to_json().encode(), "a.geojson", ORG)
    assert (first.imported, again.imported, again.duplicates) == (1, 0, 1)
    csv = incidents_csv([]).decode() + ("pnr 811218-9876;Stöld ABC-123;2026-10-04;21:30;;;6400500;376500;"
                                        "070.123.45.67;ring 070-123 45 67\n")
    assert imports.import_table(store, "incidents", csv.encode(), "x.csv", ORG).imported == 1
    again = imports.import_table(store, "incidents", csv.encode(), "x.csv", ORG)
    assert (again.imported, again.duplicates, again.changed) == (0, 1, 0)


def test_an_indicator_named_with_personal_data_is_updated_not_duplicated_on_reimport(sqlite_url):
    import geopandas as gpd

    store = open_store(sqlite_url)
    areas = gpd.GeoDataFrame({"name": ["Norr"]}, geometry=[NORR], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), "a.geojson", ORG)
    table = "Område;År;Indikator;Värde\nNorr;2025;Trygghet enligt 070-123 45 67;42\n".encode()
    first = imports.import_indicators(store, table, "ind.csv", ORG)
    again = imports.import_indicators(store, table, "ind.csv", ORG)
    assert (first.imported, again.imported, again.duplicates) == (1, 0, 1)
    org = repo.find_organisation(store.engine, ORG)
    assert repo.load_indicators(store.engine, org)["indicator"].tolist() == ["Trygghet enligt [telefonnummer]"]


def test_the_cli_echoes_no_personal_data_from_rejected_cells(sqlite_url, tmp_path, capsys):
    """`workbench import` prints the problem list (and --json returns it): the cells it quotes are
    masked, in the printed text and in what import_batch.problems keeps."""
    from workbench.cli import main

    path = tmp_path / "polisen 811218-9876.csv"
    path.write_bytes((incidents_csv([("Stöld", date(2026, 10, 3), 376500, 6400500)]).decode()
                      + "5000-K000001-26;Stöld;811218–9876;21:30;;;6400500;376500;;\n"
                      + "5000-K000002-26;Stöld;070.123.45.67;21:30;;;6400500;376500;;\n").encode())
    for extra in ([], ["--json"]):
        code = main(["import", "incidents", str(path), "--db", sqlite_url, "--organisation", ORG, *extra])
        out = capsys.readouterr()
        assert code == 0, out.err
        printed = out.out + out.err
        assert "[personnummer]" in printed and "[telefonnummer]" in printed
        assert [p for p in ("811218–9876", "811218-9876", "070.123.45.67") if p in printed] == []
    store = open_store(sqlite_url)
    assert _leaks(store) == []
