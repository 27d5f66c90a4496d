"""Small, realistic data for meeting and report tests: two districts and known incident counts."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import shapely

from workbench.agreements.parse import parse_agreement
from workbench.demo._generate_agreement import CITIZEN_PROMISE_TEXT
from workbench.services import imports
from workbench.store import loop
from workbench.store import repositories as repo

ORG = "Testkommun"
# Two districts of 1 km² in SWEREF 99 TM near Borås centrum.
NORR = shapely.box(376000, 6400000, 377000, 6401000)
SODER = shapely.box(376000, 6399000, 377000, 6400000)
# A samverkansöverenskommelse with one commitment (as the parser's JSON).
AGREEMENT = {"title": "Överenskommelse", "kind": "agreement", "parties": ["K", "P"], "period": None,
             "focus_areas": [{"title": "Trygga miljöer", "commitments": [
                 {"party": "Kommunen", "party_kind": "kommun", "text": "sanera klotter inom 24 timmar"}]}],
             "actions": []}


def save_demo_promise(conn, organisation_id: int) -> int:
    """The demo town's medborgarlöfte (Norrby, current), parsed and saved with its source text; its id."""
    return loop.save_agreement(conn, organisation_id, parse_agreement(CITIZEN_PROMISE_TEXT).to_json(),
                               source_text=CITIZEN_PROMISE_TEXT, actor="test")


def incidents_csv(rows: list[tuple[str, date, float, float]]) -> bytes:
    """A kommunpolis export: Händelsenummer;Brottstyp;Från datum;Från tid;…;X (N);Y (E)."""
    lines = ["Händelsenummer;Brottstyp;Från datum;Från tid;Till datum;Till tid;X;Y;Områdeskod;Fritext"]
    for i, (category, day, x, y) in enumerate(rows):
        lines.append(f"5000-K{i:06d}-26;{category};{day:%Y-%m-%d};21:30;;;{y:.0f};{x:.0f};;")
    return ("\n".join(lines) + "\n").encode("utf-8")


def make_org(store, *, extra: int = 0) -> int:
    """Norr: 20 incidents in October 2026, 4 in September, 3 in October 2025; Söder: 2 in October.

    ``extra`` adds more October incidents in Norr (a later import)."""
    rows = []
    for i in range(20 + extra):
        rows.append(("Skadegörelse" if i % 2 else "Misshandel", date(2026, 10, 1 + i % 28), 376500 + i, 6400500))
    rows += [("Skadegörelse", date(2026, 9, 10 + i), 376400, 6400400) for i in range(4)]
    rows += [("Stöld", date(2025, 10, 5 + i), 376300, 6400300) for i in range(3)]
    rows += [("Stöld", date(2026, 10, 3 + i), 376500, 6399500) for i in range(2)]
    areas = gpd.GeoDataFrame({"name": ["Norr", "Söder"]}, geometry=[NORR, SODER], crs="EPSG:3006")
    imports.import_layer(store, "areas", areas.to_json().encode(), "omraden.geojson", ORG)
    imports.import_table(store, "incidents", incidents_csv(rows), "polisen.csv", ORG)
    return repo.find_organisation(store.engine, ORG)
