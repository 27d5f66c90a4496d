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
