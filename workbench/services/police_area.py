"""Several kommuner, one lokalpolisområde: members, side-by-side figures and a combined area map."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import select, update

from workbench.errors import ImportValidationError
from workbench.geo.crs import SWEREF99TM
from workbench.geo.kommuner import kommun_code
from workbench.schema import SOURCES
from workbench.services import hotspots as hs
from workbench.situation import Period, area_figures, source_totals
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import Store


def set_police_area(store: Store, organisation_id: int, police_area: str | None, *, actor: str) -> None:
    """Record which lokalpolisområde the kommun belongs to (empty = none)."""
    value = (police_area or "").strip() or None
    table = t.Organisation.__table__
    with store.transaction() as conn:
        before = conn.execute(table.select().where(table.c.id == organisation_id)).mappings().first()
        conn.execute(update(table).where(table.c.id == organisation_id).values(police_area=value))
        repo.audit(conn, actor=actor, verb="update", entity="organisation", entity_id=organisation_id,
                   organisation_id=organisation_id,
                   before={"police_area": before["police_area"] if before else None},
                   after={"police_area": value})


def members(store: Store, police_area: str) -> pd.DataFrame:
    """The organisations (kommuner) of one police area: id, name."""
    orgs = repo.list_organisations(store.engine)
    return orgs[orgs["police_area"] == police_area][["id", "name"]].reset_index(drop=True)


def overview(store: Store, police_area: str, period: Period,
             reference: Period) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """(one row per kommun with counts per source and the change test, every member's areas with
    their police count in the period) — aggregates only."""
    orgs = members(store, police_area)
    ids = [int(i) for i in orgs["id"]]
    start = min(period.start_dt, reference.start_dt)
    end = max(period.end_dt, reference.end_dt)
    events = hs.load_events(store, ids, start=start, end=end)
    rows, area_parts = [], []
    all_areas = repo.load_areas(store.engine, ids)
    for org in orgs.itertuples():
        mine = events[events["organisation_id"] == org.id]
        totals = source_totals(mine, period, reference).set_index("source")
        row = {"organisation_id": int(org.id), "organisation": org.name}
        for source in SOURCES:
            row[f"{source}_current"] = int(totals.loc[source, "current"])
            row[f"{source}_reference"] = int(totals.loc[source, "reference"])
        row["police_change"] = totals.loc["police", "change"]
        row["police_change_pct"] = totals.loc["police", "change_pct"]
        areas = all_areas[all_areas["organisation_id"] == org.id]
        if len(areas):
            figures = area_figures(mine, areas, period, reference).dropna(subset=["area_id"])
            counts = dict(zip(figures["area_id"].astype(int), figures["police_current"], strict=True))
            area_parts.append(areas.assign(organisation=org.name,
                                           count=[counts.get(int(i), 0) for i in areas["id"]]))
        rows.append(row)
    combined = (gpd.GeoDataFrame(pd.concat(area_parts, ignore_index=True), crs=area_parts[0].crs)
                if area_parts else gpd.GeoDataFrame({"id": [], "name": [], "count": []}, geometry=[],
                                                    crs=SWEREF99TM))
    return pd.DataFrame(rows), combined


def set_up(store: Store, police_area: str, kommuner: list[str], *, actor: str) -> list[dict]:
    """Put the kommuner (names or kommunkoder) in one lokalpolisområde, once: an existing
    organisation of the kommun joins it, a missing one is created (named as written, with its
    kommunkod). Returns one row per kommun: name, code, created."""
    area = (police_area or "").strip()
    if not area:
        raise ImportValidationError("Ange lokalpolisområdets namn.")
    table = t.Organisation.__table__
    with store.engine.connect() as conn:
        existing = conn.execute(select(table.c.id, table.c.name, table.c.municipality_code,
                                       table.c.police_area)).all()
    names = {r.name: r for r in existing}
    wanted: list[tuple[str, str | None]] = []
    for text in kommuner:
        text = str(text).strip()
        if not text:
            continue
        code = kommun_code(text) or (names[text].municipality_code if text in names else None)
        if code is None and text not in names:
            raise ImportValidationError(f"'{text}' är ingen svensk kommun (ange namn eller kommunkod).")
        if all(w[0] != text for w in wanted):
            wanted.append((text, code))
    if not wanted:
        raise ImportValidationError("Ange minst en kommun.")
    out = []
    with store.transaction() as conn:
        for text, code in wanted:
            match = names.get(text) or next(
                (r for r in existing if code and (r.municipality_code or kommun_code(r.name)) == code), None)
            if match is None:
                org_id = repo.ensure_organisation(conn, text, kind="kommun", municipality_code=code,
                                                  police_area=area)
                before = None
            else:
                org_id, before = int(match.id), {"police_area": match.police_area}
                conn.execute(update(table).where(table.c.id == org_id).values(
                    police_area=area, municipality_code=code or match.municipality_code))
            repo.audit(conn, actor=actor, verb="insert" if match is None else "update",
                       entity="organisation", entity_id=org_id, organisation_id=org_id,
                       before=before, after={"police_area": area, "municipality_code": code})
            out.append({"name": text if match is None else match.name, "code": code,
                        "created": match is None})
    return out
