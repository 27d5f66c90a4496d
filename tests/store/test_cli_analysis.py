"""`workbench hotspots --emerging`, `workbench near-repeat` and `workbench export` on the demo town."""

from __future__ import annotations

import io
import json

import pandas as pd

from workbench.cli import main as cli
from workbench.hotspots.emerging import CLASSES


def test_cli_emerging_csv_and_geojson(demo_db, capsys):
    assert cli(["hotspots", "--db", demo_db, "--emerging", "--step", "month", "--format", "csv"]) == 0
    out = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(out.out))
    assert list(frame.columns[:7]) == ["cell_id", "row", "col", "emerging_class", "trend_z",
                                       "trend_p", "total"]
    steps = list(frame.columns[7:])
    assert len(steps) == 24 and steps == sorted(steps)  # the default span: 24 whole months
    assert set(frame["emerging_class"]) <= set(CLASSES)
    assert frame["emerging_class"].str.startswith("hot_").any()
    assert (frame[steps].sum(axis=1) == frame["total"]).all()
    assert "24 tidssteg" in out.err
    assert cli(["hotspots", "--db", demo_db, "--emerging", "--step", "tertial", "--from", "2025-01-01",
                "--to", "2026-08-31", "--category", "inbrott", "--format", "geojson"]) == 0
    doc = json.loads(capsys.readouterr().out)
    props = doc["features"][0]["properties"]
    assert {"cell_id", "emerging_class", "trend_z", "trend_p", "2025 T1", "2026 T2"} <= set(props)
    assert len(doc["features"]) == len(frame)


def test_cli_emerging_too_few_steps(demo_db, capsys):
    assert cli(["hotspots", "--db", demo_db, "--emerging", "--step", "tertial", "--from", "2025-06-01",
                "--to", "2025-12-31"]) == 2
    err = capsys.readouterr().err
    assert "minst 4" in err and "Traceback" not in err


def test_cli_near_repeat_json(demo_db, capsys):
    assert cli(["near-repeat", "--db", demo_db, "--category", "bostadsinbrott", "--distance-bands",
                "0,100,200,400", "--time-bands", "0,7,14,30", "--permutations", "99", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cells = doc["cells"]
    assert len(cells) == 16
    assert set(cells[0]) == {"distance_from", "distance_to", "time_from", "time_to", "observed",
                             "expected", "ratio", "p"}
    assert cells[0]["distance_from"] == 0 and cells[0]["distance_to"] == 100
    assert cells[-1]["distance_to"] is None and cells[-1]["time_to"] is None
    assert sum(c["observed"] for c in cells) == doc["events"] * (doc["events"] - 1) // 2
    assert all(1 / 100 <= c["p"] <= 1 for c in cells)
    assert cli(["near-repeat", "--db", demo_db, "--category", "bostadsinbrott", "--time-bands",
                "7,14"]) == 2
    assert "Första gränsen för tid ska vara 0" in capsys.readouterr().err
    assert cli(["near-repeat", "--db", demo_db, "--category", "finns-inte"]) == 2
    assert "räcker inte" in capsys.readouterr().err


def test_cli_emerging_by_area(demo_db, capsys):
    assert cli(["hotspots", "--db", demo_db, "--emerging", "--by-area", "--format", "csv"]) == 0
    out = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(out.out))
    assert list(frame.columns[:6]) == ["area_id", "area", "emerging_class", "trend_z", "trend_p", "total"]
    assert len(frame) == 11 and len(frame.columns) == 6 + 24
    assert "Bara 11 områden" in out.err
    assert cli(["hotspots", "--db", demo_db, "--emerging", "--by-area"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
