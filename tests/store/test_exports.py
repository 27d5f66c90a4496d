"""Exports for QGIS and Excel: read back with GDAL (pyogrio, what QGIS uses), right CRS and counts,
small counts suppressed, role precision applied, every export audited."""

from __future__ import annotations

import dataclasses
import json
import zipfile

import pandas as pd
import pyogrio
import pytest

from tests.builders import ORG, make_org
from workbench.access import gate
from workbench.access.scope import open_scope, operator
from workbench.cli import main as cli
from workbench.config import Settings
from workbench.situation import Period
from workbench.store.db import open_store


def test_geopackage_reads_back_with_crs_counts_and_suppression(sqlite_url, tmp_path, capsys):
    store = open_store(sqlite_url)
    make_org(store)
    out = tmp_path / "est.gpkg"
    assert cli(["export", "--db", sqlite_url, "--organisation", ORG, "--format", "gpkg", "--out", str(out),
                "--from", "2026-09-01", "--to", "2026-10-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) == {"rutor", "platser", "områden", "åtgärder"}
    assert doc["layers"] == {name: pyogrio.read_info(out, layer=name)["features"] for name in layers}
    notes = " ".join(doc["notes"])
    assert "Near-repeat (bostadsinbrott)" in notes and "räcker inte" in notes  # no burglaries
    assert "Hot-spots över tid: Perioden rymmer 2 hela tidssteg" in notes  # two months only
    for name in layers:
        assert pyogrio.read_info(out, layer=name)["crs"] == "EPSG:3006"
    info = pyogrio.read_info(out, layer="rutor")
    assert "Getis-Ord Gi*" in info["layer_metadata"]["DESCRIPTION"]
    assert {"antal", "dold", "gi_z", "p_fdr", "klass", "mönster", "trend_z", "trend_p"} <= set(info["fields"])
    areas = pyogrio.read_dataframe(out, layer="områden").set_index("namn")
    assert areas.loc["Norr", "antal"] == 24 and not areas.loc["Norr", "dold"]  # 20 in Oct + 4 in Sep
    assert pd.isna(areas.loc["Söder", "antal"]) and areas.loc["Söder", "dold"]  # 2 < 3: suppressed
    cells = pyogrio.read_dataframe(out, layer="rutor")
    assert cells["antal"].max() == 20
    assert cells["dold"].any() and cells.loc[cells["dold"], "antal"].isna().all()
    assert cells["antal"].fillna(0).sum() + 2 == 26  # the 2 in Söder are the hidden ones
    # the export is in the audit log with who, the file and the layers
    scope = open_scope(store, operator("t"), ORG)
    log = gate.audit_entries(store, scope, verbs=["export"])
    entry = log.iloc[0]
    assert entry["entity"] == "layers" and entry["after"]["file"] == "est.gpkg"
    assert entry["after"]["layers"]["rutor"] == len(cells) and entry["after"]["format"] == "gpkg"


def test_all_counts_as_on_a_private_screen_but_never_for_aggregate_roles(sqlite_url, tmp_path, capsys):
    store = open_store(sqlite_url)
    make_org(store)
    out = tmp_path / "alla.gpkg"
    assert cli(["export", "--db", sqlite_url, "--organisation", ORG, "--format", "gpkg", "--out", str(out),
                "--from", "2026-09-01", "--to", "2026-10-31", "--all-counts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["suppressed"] is False
    areas = pyogrio.read_dataframe(out, layer="områden").set_index("namn")
    assert areas.loc["Söder", "antal"] == 2 and not areas["dold"].any()
    assert "inga tal dolda" in pyogrio.read_info(out, layer="områden")["layer_metadata"]["DESCRIPTION"]
    scope = open_scope(store, operator("t"), ORG)
    assert gate.audit_entries(store, scope, verbs=["export"]).iloc[0]["after"]["suppressed"] is False
    settings = Settings.load(db_url=sqlite_url)
    period = Period(pd.Timestamp("2026-09-01").date(), pd.Timestamp("2026-10-31").date())
    aggregate = dataclasses.replace(scope, always_suppress=True)
    _, layers, _ = gate.export_layers(store, settings, aggregate, period, "gpkg", cell=250,
                                      shared_screen=False)
    shown = next(la for la in layers if la.name == "områden").frame.set_index("namn")
    assert pd.isna(shown.loc["Söder", "antal"]) and shown.loc["Söder", "dold"]


def test_geojson_zip_and_xlsx(sqlite_url, tmp_path, capsys):
    store = open_store(sqlite_url)
    make_org(store)
    zipped = tmp_path / "est.zip"
    assert cli(["export", "--db", sqlite_url, "--organisation", ORG, "--format", "geojson", "--out",
                str(zipped), "--from", "2026-09-01", "--to", "2026-10-31"]) == 0
    names = zipfile.ZipFile(zipped).namelist()
    assert {"rutor.geojson", "områden.geojson", "platser.geojson", "åtgärder.geojson"} <= set(names)
    info = pyogrio.read_info(f"/vsizip/{zipped}/områden.geojson")
    assert info["crs"] == "EPSG:4326" and info["features"] == 2
    book = tmp_path / "est.xlsx"
    assert cli(["export", "--db", sqlite_url, "--organisation", ORG, "--format", "xlsx", "--out", str(book),
                "--from", "2026-09-01", "--to", "2026-10-31"]) == 0
    sheets = pd.read_excel(book, sheet_name=None)
    assert set(sheets) == {"rutor", "platser", "områden", "åtgärder", "om_lagren"}
    assert {"x_sweref99tm", "y_sweref99tm", "antal", "dold"} <= set(sheets["rutor"].columns)
    assert "export" in capsys.readouterr().err.lower()


def test_role_precision_and_permission(sqlite_url):
    store = open_store(sqlite_url)
    make_org(store)
    settings = Settings.load(db_url=sqlite_url)
    scope = open_scope(store, operator("t"), ORG)
    period = Period(pd.Timestamp("2026-09-01").date(), pd.Timestamp("2026-10-31").date())
    _, layers, _ = gate.export_layers(store, settings, dataclasses.replace(scope, points=False), period,
                                      "gpkg", cell=250)
    assert [layer.name for layer in layers] == ["platser", "områden", "åtgärder"]  # no cells
    assert "antal" not in layers[0].frame.columns
    assert layers[1].frame.set_index("namn").loc["Norr", "antal"] == 24  # from the stored area
    from workbench import roles as r
    from workbench.errors import AccessDenied

    no_export = dataclasses.replace(scope, permissions=scope.permissions - {r.EXPORT})
    with pytest.raises(AccessDenied):
        gate.export_layers(store, settings, no_export, period, "xlsx", cell=250)


def test_demo_export_has_the_near_repeat_table(demo_db, tmp_path, capsys):
    out = tmp_path / "demo.gpkg"
    assert cli(["export", "--db", demo_db, "--format", "gpkg", "--out", str(out), "--category",
                "bostadsinbrott"]) == 0
    table = pyogrio.read_dataframe(out, layer="near_repeat")
    assert len(table) == 16 and table["avstånd"].iloc[0] == "0 till under 100 m"
    assert pd.isna(table["avstånd_till_m"].iloc[-1])  # the open band
    cells = pyogrio.read_dataframe(out, layer="rutor")
    assert cells["mönster"].str.startswith("hot_").any()  # 12 months: emerging patterns present
    actions = pyogrio.read_dataframe(out, layer="åtgärder").set_index("åtgärd_id")
    lighting = actions.loc[1]
    assert lighting["plats"] == "Resecentrum" and lighting["start"] == "2025-09-01"
    places = pyogrio.read_dataframe(out, layer="platser").set_index("namn")
    assert lighting.geometry.equals_exact(places.loc["Resecentrum"].geometry, 1e-6)  # the place's shape
