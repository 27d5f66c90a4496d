"""Import use cases: parse a file, assign areas, store new rows in one transaction, audit it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.errors import ImportValidationError
from workbench.geo.assign import assign_points
from workbench.io.importers.base import ImportReport, ParsedFile
from workbench.io.importers.tabular import parse_point_table
from workbench.io.importers.walks import parse_walk_observations, parse_walk_table
from workbench.io.layers import read_named_layer
from workbench.schema import (
    KIND_FAULT_REPORT,
    KIND_INCIDENT,
    KIND_WALK_OBSERVATION,
    SOURCE_HOUSING,
    SOURCE_MUNICIPALITY,
    SOURCE_POLICE,
)
from workbench.store import repositories as repo
from workbench.store.db import BoundStore, Store

# CLI/UI name of each tabular source → (kind, source)
TABULAR_SOURCES = {
    "incidents": (KIND_INCIDENT, SOURCE_POLICE),
    "fault-reports": (KIND_FAULT_REPORT, SOURCE_MUNICIPALITY),
    "housing-reports": (KIND_FAULT_REPORT, SOURCE_HOUSING),
}


def read_file(path: str | Path) -> tuple[bytes, str]:
    path = Path(path)
    try:
        return path.read_bytes(), path.name
    except FileNotFoundError as exc:
        raise ImportValidationError(f"Filen {path} finns inte.") from exc
    except OSError as exc:
        raise ImportValidationError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc


def _area_ids(areas, x: pd.Series, y: pd.Series, codes: pd.Series | None) -> pd.Series:
    """Area id per row: the area containing the point, else the area whose code or name matches."""
    ids = pd.Series(pd.NA, index=x.index, dtype="Int64")
    if len(areas) == 0:
        return ids
    index = assign_points(x.to_numpy(float), y.to_numpy(float), list(areas.geometry))
    area_id_array = areas["id"].to_numpy()
    hit = index >= 0
    ids[hit] = area_id_array[index[hit]]
    if codes is not None:
        lookup = {str(k).strip().lower(): v for k, v in zip(areas["code"], areas["id"], strict=True) if k}
        lookup.update({str(k).strip().lower(): v for k, v in zip(areas["name"], areas["id"], strict=True)})
        by_code = codes.astype("string").str.strip().str.lower().map(lookup)
        ids = ids.fillna(pd.Series(pd.array(by_code, dtype="Int64"), index=ids.index))
    return ids


def store_parsed(store: Store | BoundStore, parsed: ParsedFile, organisation: str, *, actor: str = "system",
                 source_kind: str) -> ImportReport:
    """Store the new rows of ``parsed`` (duplicates skipped) in one transaction."""
    frame = parsed.frame
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        areas = repo.load_areas(conn, [org_id])
        batch_id = repo.create_batch(conn, org_id, source_kind=source_kind,
                                     file_name=parsed.file_name, content_hash=parsed.content_hash,
                                     actor=actor, crs=parsed.crs)
        rows = frame.drop(columns=[c for c in ("area_hint_x", "area_hint_y") if c in frame])
        hint_x = frame["x"].fillna(frame["area_hint_x"]) if "area_hint_x" in frame else frame["x"]
        hint_y = frame["y"].fillna(frame["area_hint_y"]) if "area_hint_y" in frame else frame["y"]
        rows = rows.assign(area_id=_area_ids(areas, hint_x, hint_y, frame.get("area_code")))
        within_file = rows["source_id"].duplicated()
        existing = repo.existing_source_ids(conn, parsed.kind, org_id, parsed.source)
        duplicate = within_file | rows["source_id"].isin(existing)
        new = rows[~duplicate.to_numpy()].copy()
        new["organisation_id"] = org_id
        new["batch_id"] = batch_id
        new["source"] = parsed.source
        imported = repo.insert_rows(conn, parsed.kind, new)
        report = ImportReport(
            kind=parsed.kind, file_name=parsed.file_name, imported=imported,
            duplicates=int(duplicate.sum()), rejected=parsed.rejected,
            redacted=int(sum(parsed.redacted.values())), crs=parsed.crs,
            problems=tuple(parsed.problems), batch_id=batch_id,
        )
        repo.finish_batch(conn, batch_id, n_imported=imported, n_duplicates=report.duplicates,
                          n_rejected=report.rejected, n_redacted=report.redacted,
                          problems=[p.__dict__ for p in parsed.problems[:1000]])
        repo.audit(conn, actor=actor, verb="import", entity=parsed.kind, entity_id=batch_id,
                   organisation_id=org_id, after=report.to_json() | {"file": parsed.file_name,
                                                                    "problems": len(parsed.problems)})
    return report


def import_table(store: Store | BoundStore, source_name: str, data: bytes, file_name: str, organisation: str, *,
                 crs: str | None = None, mapping: dict[str, str] | None = None,
                 actor: str = "system") -> ImportReport:
    """Import a kommunpolis export, a felanmälan export or a housing-company table."""
    if source_name not in TABULAR_SOURCES:
        raise ImportValidationError(f"Okänd källa '{source_name}'.")
    kind, source = TABULAR_SOURCES[source_name]
    parsed = parse_point_table(data, file_name, kind=kind, source=source, crs=crs, mapping=mapping)
    return store_parsed(store, parsed, organisation, actor=actor, source_kind=source_name)


def import_layer(store: Store | BoundStore, what: str, data: bytes, file_name: str, organisation: str, *,
                 layer: str = "district", actor: str = "system") -> ImportReport:
    """Import areas (``what='areas'``, into ``layer``) or places (``what='places'``)."""
    frame = read_named_layer(data, file_name)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        if what == "areas":
            inserted, updated = repo.upsert_areas(conn, org_id, layer, frame)
        elif what == "places":
            areas = repo.load_areas(conn, [org_id])
            points = frame.geometry.representative_point()
            index = assign_points(points.x.to_numpy(), points.y.to_numpy(), list(areas.geometry))
            area_ids = [int(areas["id"].iloc[i]) if i >= 0 else None for i in index]
            inserted, updated = repo.upsert_places(conn, org_id, frame, area_ids)
        else:
            raise ImportValidationError(f"Okänt lager '{what}'.")
        if what == "areas" and layer == "district":
            union = frame.geometry.union_all()
            repo.ensure_organisation(conn, organisation, boundary_wkb=union.wkb)
        repo.audit(conn, actor=actor, verb="import", entity=what, organisation_id=org_id,
                   after={"file": file_name, "inserted": inserted, "updated": updated, "layer": layer})
    return ImportReport(kind=what, file_name=file_name, imported=inserted, duplicates=updated,
                        rejected=0, redacted=0, crs=frame.attrs.get("source_crs"), problems=())


def import_walks(store: Store | BoundStore, walks_data: bytes, walks_name: str, observations_data: bytes,
                 observations_name: str, organisation: str, *, actor: str = "system") -> ImportReport:
    """Import a table of trygghetsvandringar and their observation points together."""
    walks, walk_problems = parse_walk_table(walks_data, walks_name)
    parsed = parse_walk_observations(observations_data, observations_name, walks)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        areas = repo.load_areas(conn, [org_id])
        batch_id = repo.create_batch(conn, org_id, source_kind="walks", file_name=observations_name,
                                     content_hash=parsed.content_hash, actor=actor, crs=parsed.crs)
        by_name = {n.lower(): i for n, i in zip(areas["name"], areas["id"], strict=True)}
        walks = walks.assign(area_id=[by_name.get(str(n).lower()) for n in walks["area_name"]])
        walk_ids = repo.upsert_walks(conn, org_id, walks, batch_id)
        rows = parsed.frame.copy()
        rows["walk_id"] = rows.pop("walk_ref").map(walk_ids)
        rows["area_id"] = _area_ids(areas, rows["x"], rows["y"], None)
        existing = repo.existing_source_ids(conn, KIND_WALK_OBSERVATION, org_id, None,
                                            walk_ids=walk_ids.values())
        duplicate = rows["source_id"].isin(existing) | rows["source_id"].duplicated()
        new = rows[~duplicate.to_numpy()].copy()
        new["organisation_id"] = org_id
        imported = repo.insert_rows(conn, KIND_WALK_OBSERVATION, new)
        problems = tuple(walk_problems + parsed.problems)
        report = ImportReport(kind=KIND_WALK_OBSERVATION, file_name=observations_name,
                              imported=imported, duplicates=int(duplicate.sum()),
                              rejected=parsed.rejected + len(walk_problems),
                              redacted=int(sum(parsed.redacted.values())), crs=parsed.crs,
                              problems=problems, batch_id=batch_id)
        repo.finish_batch(conn, batch_id, n_imported=imported, n_duplicates=report.duplicates,
                          n_rejected=report.rejected, n_redacted=report.redacted,
                          problems=[p.__dict__ for p in problems[:1000]])
        repo.audit(conn, actor=actor, verb="import", entity="safety_walk", entity_id=batch_id,
                   organisation_id=org_id, after=report.to_json() | {"walks": len(walk_ids)})
    return report


