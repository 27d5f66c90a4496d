"""The demo town: loaded by the same importers users run, idempotent, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.cli import main as cli
from workbench.demo.load import DEMO_ORGANISATION, load_demo
from workbench.errors import DemoDataMissingError
from workbench.store import repositories as repo
from workbench.store.db import open_store


def test_demo_is_realistic_and_idempotent(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        other = repo.ensure_organisation(conn, "Grannkommunen")
    first = load_demo(store)
    second = load_demo(store)
    assert first == second
    assert first["incident"] >= 20_000
    assert first["fault_report"] >= 5_000
    assert first["safety_walk"] == 3 and first["walk_observation"] > 30
    assert first["place"] >= 8
    assert first["agreement"] == 2 and first["commitment"] >= 6  # the agreement and a medborgarlöfte
    assert first["citizen_promise"] == 5 and first["action_citizen_promise"] == 1  # one åtgärd keeps a promise
    assert first["action"] == 5 and first["action_commitment"] >= 4  # 4 + one meeting decision
    assert first["situation"] == 1  # one closed EST meeting with a snapshot
    from workbench.store import meetings

    org = repo.find_organisation(store.engine, DEMO_ORGANISATION)
    listed = meetings.list_meetings(store.engine, org)
    snapshot = meetings.get_meeting(store.engine, org, int(listed["id"].iloc[0]))["snapshot"]
    assert {a["area"]: a["status"]["level"] for a in snapshot["areas"]}["Centrum"] == "orange"
    assert len(snapshot["decisions"]) == 1
    districts = repo.load_areas(store.engine, [repo.find_organisation(store.engine, DEMO_ORGANISATION)])
    assert {"Centrum", "Hässleholmen", "Hulta", "Norrby", "Sjöbo", "Kristineberg"} <= set(districts["name"])
    assert districts["approximate"].all()
    assert repo.find_organisation(store.engine, "Grannkommunen") == other  # untouched


def test_missing_demo_folder_is_a_clear_error_and_changes_nothing(sqlite_url, tmp_path):
    store = open_store(sqlite_url)
    load_demo(store)
    before = repo.row_counts(store.engine)
    with pytest.raises(DemoDataMissingError, match=str(tmp_path)):
        load_demo(store, tmp_path)
    assert repo.row_counts(store.engine) == before


def test_cli_demo_json_and_errors(sqlite_url, capsys, tmp_path):
    assert cli(["demo", "--db", sqlite_url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["incident"] >= 20_000
    assert cli(["demo", "--db", sqlite_url, "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: Demodata saknas") and err.count("\n") == 1


def test_cli_help_and_unusable_database_in_a_real_process(tmp_path):
    help_text = subprocess.run([sys.executable, "-m", "workbench", "--help"], capture_output=True,
                               text=True, check=True).stdout
    for command in ("demo", "app", "import"):
        assert command in help_text
    broken = tmp_path / "trasig.sqlite"
    broken.write_text("inte en databas")
    result = subprocess.run([sys.executable, "-m", "workbench", "demo", "--db", f"sqlite:///{broken}"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "ingen användbar databas" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_hotspots_geojson_and_csv(demo_db, capsys):
    assert cli(["hotspots", "--db", demo_db, "--from", "2025-01-01", "--to", "2025-12-31",
                "--cell", "250"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    features = doc["features"]
    assert set(features[0]["properties"]) == {"cell_id", "row", "col", "count", "z", "p", "p_fdr",
                                              "hotspot_class"}
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 12 < lon < 14 and 57 < lat < 58  # EPSG:4326
    assert any(f["properties"]["hotspot_class"] == "hot_99" for f in features)
    assert "hot-spot-celler" in out.err
    assert cli(["hotspots", "--db", demo_db, "--format", "csv", "--category", "ran"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cell_id,row,col,count,z,p,p_fdr,hotspot_class"
    assert len(lines) - 1 == len(features)  # the same grid ...
    robberies = sum(int(line.split(",")[3]) for line in lines[1:])
    assert cli(["hotspots", "--db", demo_db, "--format", "csv"]) == 0
    everything = sum(int(line.split(",")[3]) for line in capsys.readouterr().out.splitlines()[1:])
    assert 0 < robberies < everything  # ... with only the chosen category counted
    assert cli(["hotspots", "--db", demo_db, "--from", "igår"]) == 2
    assert "ÅÅÅÅ-MM-DD" in capsys.readouterr().err
