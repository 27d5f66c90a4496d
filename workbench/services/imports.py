"""Import use cases: parse a file, assign areas, store new rows in one transaction, audit it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.assign import assign_points
from workbench.io.importers.base import ImportOptions, ImportReport, ParsedFile
from workbench.io.importers.columns import best_guess, is_not_stored
from workbench.io.importers.indicators import is_population, parse_indicators
from workbench.io.importers.read import read_table
from workbench.io.importers.sources import FORMAT_LABELS, POINT_SOURCES, detect_format, parse_points
from workbench.io.importers.tabular import FIELDS as TABLE_FIELDS
from workbench.io.importers.tabular import detect_columns
from workbench.io.importers.values import refuse_overlong
from workbench.io.importers.walks import (
    observation_columns,
    observation_headers,
    parse_walk_observations,
    parse_walk_table,
)
from workbench.io.layers import read_named_layer
from workbench.schema import KIND_WALK_OBSERVATION
from workbench.services import import_organisations
from workbench.store import changed_rows, privacy
from workbench.store import repositories as repo
from workbench.store.db import BoundStore, Store

AnyStore = Store | BoundStore
Progress = Callable[[int, int], None]  # (rows stored so far, rows to store)
LAYER_KINDS = ("district", "neighbourhood_watch", "vulnerable_area", "planned", "other")
MAX_PROBLEMS_STORED = 1000


def read_file(path: str | Path, *, max_bytes: int | None = None,
              allowed: tuple[str, ...] | list[str] | str | None = None) -> tuple[bytes, str]:
    """The bytes and name of a file given on the command line.

    Refused before it is read when larger than ``max_bytes`` (default WORKBENCH_MAX_UPLOAD_MB),
    and when it is empty, not a regular file, or its content is not what its suffix says (a
    program renamed to .csv). ``allowed`` (suffixes, or an upload kind of
    ``io.uploads.ALLOWED_SUFFIXES`` such as ``"incidents"``) also limits the file types.
    """
    from workbench.io.uploads import check_upload, max_upload_bytes, read_upload

    path = Path(path)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    data = read_upload(path, max_bytes=limit)
    check_upload(data, path.name, max_bytes=limit, allowed=allowed)
    return data, path.name


def options_for(store: AnyStore, organisation: str, kind: str, *, crs: str | None = None,
                mapping: dict[str, str] | None = None, profile: str | None = None,
                sensitive: frozenset[str] | None = None) -> ImportOptions:
    """Import options: a saved profile (if named), the organisation's category mapping, overrides."""
    with store.transaction() as conn:
        org_id = repo.find_organisation(conn, organisation)
        overrides = repo.category_overrides(conn, org_id, kind) if org_id is not None else {}
        saved = None
        if profile:
            profiles = {p["name"]: p for p in repo.load_profiles(conn, org_id)} if org_id else {}
            if profile not in profiles:
                known = ", ".join(profiles) or "inga"
                raise ImportValidationError(f"Importprofilen '{profile}' finns inte (sparade: {known}).")
            saved = profiles[profile]
    options = ImportOptions(crs=crs or (saved or {}).get("crs"),
                            mapping={**((saved or {}).get("mapping") or {}), **(mapping or {})} or None,
                            category_overrides=overrides)
    return replace(options, sensitive=sensitive) if sensitive is not None else options


def _area_ids(areas, x: pd.Series, y: pd.Series, codes: pd.Series | None) -> pd.Series:
    """Area id per row: the area containing the point, else the area whose code or name matches."""
    ids = pd.Series(pd.NA, index=x.index, dtype="Int64")
    if len(areas) == 0:
        return ids
    index = assign_points(x.to_numpy(float), y.to_numpy(float), list(areas.geometry))
    hit = index >= 0
    ids[hit] = areas["id"].to_numpy()[index[hit]]
    if codes is not None:
        by_code = codes.astype("string").str.strip().str.lower().map(_area_lookup(areas))
        ids = ids.fillna(pd.Series(pd.array(by_code, dtype="Int64"), index=ids.index))
    return ids


def _area_lookup(areas) -> dict[str, int]:
    lookup = {str(k).strip().lower(): int(v) for k, v in zip(areas["code"], areas["id"], strict=True)
              if k is not None and not pd.isna(k)}
    lookup.update({str(k).strip().lower(): int(v) for k, v in zip(areas["name"], areas["id"], strict=True)})
    return lookup


@dataclass(frozen=True)
class Detected:
    """What the importer found out about a file before importing it (shown in the UI)."""

    format: str
    format_label: str
    encoding: str | None
    delimiter: str | None
    headers: tuple[str, ...]
    columns: dict[str, str]  # canonical field → header (tables only)
    # headers not placed: header → the field it most likely means (None: no idea)
    unplaced: dict[str, str | None] = field(default_factory=dict)
    not_stored: tuple[str, ...] = ()  # known headers that are deliberately not stored (addresses)


def detect(source_name: str, data: bytes, file_name: str,
           mapping: dict[str, str] | None = None) -> Detected:
    """Format, encoding, delimiter and column mapping of a point file, for the user to check."""
    fmt = detect_format(source_name, data, file_name)
    if fmt in {"police-api", "open311"}:
        return Detected(fmt, FORMAT_LABELS[fmt], "utf-8", None, (), {})
    table, table_format = read_table(data, file_name)
    headers = tuple(table.columns)
    columns = detect_columns(list(headers), mapping) if fmt == "table" else {}
    placed = set(columns.values())
    rest = [h for h in headers if h not in placed] if fmt == "table" else []
    not_stored = tuple(h for h in rest if is_not_stored(h))
    free = tuple(f for f in TABLE_FIELDS if f not in columns)
    unplaced = {h: best_guess(h, free) for h in rest if h not in not_stored}
    return Detected(fmt, FORMAT_LABELS[fmt], table_format.encoding, table_format.delimiter,
                    headers, columns, unplaced, not_stored)


def preview_points(store: AnyStore, source_name: str, data: bytes, file_name: str,
                   organisation: str, *, crs: str | None = None,
                   mapping: dict[str, str] | None = None, profile: str | None = None,
                   sensitive: frozenset[str] | None = None) -> ParsedFile:
    """Parse and validate without storing anything (the UI's preview; import it with store_parsed)."""
    if source_name not in POINT_SOURCES:
        raise ImportValidationError(f"Okänd källa '{source_name}'.")
    kind, _source = POINT_SOURCES[source_name]
    options = options_for(store, organisation, kind, crs=crs, mapping=mapping, profile=profile,
                          sensitive=sensitive)
    parsed = refuse_overlong(parse_points(source_name, data, file_name, organisation, options))
    return import_organisations.only_own_kommun(store, parsed, organisation)


def store_parsed(store: AnyStore, parsed: ParsedFile, organisation: str, *, actor: str = "system",
                 source_kind: str, progress: Progress | None = None,
                 on_change: str = "keep") -> ImportReport:
    """Store the new rows of ``parsed`` (duplicates skipped) in one transaction. A row whose
    source id is stored with other content is reported as changed; ``on_change='update'``
    writes it over the stored row (audited with before and after)."""
    refuse_if_nothing_usable(parsed)
    frame = parsed.frame
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        areas = repo.load_areas(conn, [org_id])
        batch_id = repo.create_batch(conn, org_id, source_kind=source_kind,
                                     file_name=parsed.file_name, content_hash=parsed.content_hash,
                                     actor=actor, crs=parsed.crs)
        hint_x = frame["x"].fillna(frame["area_hint_x"]) if "area_hint_x" in frame else frame["x"]
        hint_y = frame["y"].fillna(frame["area_hint_y"]) if "area_hint_y" in frame else frame["y"]
        rows = frame.drop(columns=[c for c in ("area_hint_x", "area_hint_y") if c in frame])
        rows = rows.assign(area_id=_area_ids(areas, hint_x, hint_y, frame.get("area_code")))
        rows = privacy.redact_frame(repo.TABLE_BY_KIND[parsed.kind].name, rows)  # compared as stored
        within_file = rows["source_id"].duplicated()
        existing = repo.existing_source_ids(conn, parsed.kind, org_id, parsed.source,
                                            among=rows["source_id"].dropna().unique().tolist())
        known = rows["source_id"].isin(existing) & ~within_file
        changed, updated = _changed_rows(conn, parsed, rows[known.to_numpy()], org_id, batch_id,
                                         on_change=on_change, actor=actor)
        duplicate = (within_file | rows["source_id"].isin(existing)).to_numpy()
        new = rows[~duplicate].assign(organisation_id=org_id, batch_id=batch_id,
                                      source=parsed.source)
        imported = repo.insert_rows(conn, parsed.kind, new, progress=progress)
        report = _report(parsed, imported, int(duplicate.sum()) - len(changed), batch_id)
        report = replace(report, changed=len(changed), changed_rows=_file_rows(parsed, changed),
                         updated=updated, routed={organisation: imported + updated})
        _finish(conn, org_id, batch_id, report, actor, entity=parsed.kind)
    return report


ON_CHANGE = ("keep", "update")


def refuse_if_nothing_usable(parsed: ParsedFile) -> None:
    """A file whose every row was refused is an error, not a successful import of nothing:
    no batch, no log entry, a non-zero exit on the command line."""
    if len(parsed.frame) or not parsed.rejected:
        return
    first = [p for p in parsed.problems if p.row is not None][:3]
    examples = "; ".join(str(p).removeprefix(f"{p.file}, ") for p in first)
    raise ImportValidationError(
        f"{parsed.file_name}: ingen rad kunde importeras ({parsed.rejected} avvisade"
        + (f", t.ex. {examples}" if examples else "") + "). Inget sparades.")


def _changed_rows(conn, parsed: ParsedFile, known: pd.DataFrame, org_id: int, batch_id: int, *,
                  on_change: str, actor: str) -> tuple[pd.Index, int]:
    """The rows (frame index) whose source id is stored with other content, and how many of
    them were written over the stored rows (``on_change='update'``, audited before/after)."""
    if on_change not in ON_CHANGE:
        raise ImportValidationError(f"Okänt val för ändrade rader '{on_change}' (välj keep eller update).")
    if known.empty or parsed.kind not in changed_rows.COMPARED:
        return pd.Index([]), 0
    stored = changed_rows.stored_rows(conn, parsed.kind, org_id, parsed.source,
                                      known["source_id"].astype(str).tolist())
    diff = changed_rows.differences(parsed.kind, known, stored)
    diff = diff[diff["columns"].map(len) > 0]
    if on_change == "keep" or diff.empty:
        return diff.index, 0
    updated = changed_rows.update_rows(conn, parsed.kind, known.loc[diff.index], diff["id"], stored,
                                       diff["columns"], actor=actor, organisation_id=org_id,
                                       batch_id=batch_id)
    return diff.index, updated


def _file_rows(parsed: ParsedFile, index: pd.Index) -> tuple[int, ...]:
    """Row numbers in the file of some frame rows (frame positions + 2 when the parser gave none)."""
    positions = [int(i) for i in index]
    if parsed.source_rows is not None:
        return tuple(sorted(int(parsed.source_rows[i]) for i in positions))
    return tuple(sorted(i + 2 for i in positions))


HEADER_ROW = 1  # a problem on row 1 is about the header (a repeated column), not a refused row


def _row_problems(problems: list[ImportProblem]) -> int:
    return sum(1 for p in problems if p.row is not None and p.row != HEADER_ROW)


def _report(parsed: ParsedFile, imported: int, duplicates: int, batch_id: int | None,
            extra_problems: list[ImportProblem] | None = None) -> ImportReport:
    problems = tuple((extra_problems or []) + parsed.problems)
    return ImportReport(kind=parsed.kind, file_name=parsed.file_name, imported=imported,
                        duplicates=duplicates, rejected=parsed.rejected + _row_problems(extra_problems or []),
                        redacted=int(sum(parsed.redacted.values())), crs=parsed.crs,
                        problems=problems, batch_id=batch_id)


def _finish(conn, org_id: int, batch_id: int, report: ImportReport, actor: str, entity: str) -> None:
    repo.finish_batch(conn, batch_id, n_imported=report.imported, n_duplicates=report.duplicates,
                      n_rejected=report.rejected, n_redacted=report.redacted,
                      problems=[{"row": p.row, "column": p.column, "message": p.message}
                                for p in report.problems[:MAX_PROBLEMS_STORED]])
    repo.audit(conn, actor=actor, verb="import", entity=entity, entity_id=batch_id,
               organisation_id=org_id,
               after={"file": report.file_name, "imported": report.imported,
                      "duplicates": report.duplicates, "rejected": report.rejected,
                      "redacted": report.redacted, "crs": report.crs,
                      "problems": len(report.problems)})


def import_table(store: AnyStore, source_name: str, data: bytes, file_name: str, organisation: str, *,
                 crs: str | None = None, mapping: dict[str, str] | None = None,
                 profile: str | None = None, sensitive: frozenset[str] | None = None,
                 actor: str = "system", progress: Progress | None = None,
                 on_change: str = "keep") -> ImportReport:
    """Import incidents, felanmälan or housing-company reports in any supported format."""
    parsed = preview_points(store, source_name, data, file_name, organisation, crs=crs,
                            mapping=mapping, profile=profile, sensitive=sensitive)
    return store_parsed(store, parsed, organisation, actor=actor, source_kind=source_name,
                        progress=progress, on_change=on_change)


def import_layer(store: AnyStore, what: str, data: bytes, file_name: str, organisation: str, *,
                 layer: str = "district", actor: str = "system") -> ImportReport:
    """Import areas (``what='areas'``, into ``layer``) or places (``what='places'``)."""
    if what == "areas" and layer not in LAYER_KINDS:
        raise ImportValidationError(f"Okänt områdeslager '{layer}' (välj {', '.join(LAYER_KINDS)}).")
    frame = read_named_layer(data, file_name)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        if what == "areas":
            inserted, updated = repo.upsert_areas(conn, org_id, layer, frame)
            if layer == "district":
                districts = repo.load_areas(conn, [org_id])
                repo.ensure_organisation(conn, organisation,
                                         boundary_wkb=districts.geometry.union_all().wkb)
        elif what == "places":
            areas = repo.load_areas(conn, [org_id])
            points = frame.geometry.representative_point()
            index = assign_points(points.x.to_numpy(), points.y.to_numpy(), list(areas.geometry))
            area_ids = [int(areas["id"].iloc[i]) if i >= 0 else None for i in index]
            inserted, updated = repo.upsert_places(conn, org_id, frame, area_ids)
        else:
            raise ImportValidationError(f"Okänt lager '{what}'.")
        rejected = int(frame.attrs.get("rejected", 0))
        repo.audit(conn, actor=actor, verb="import", entity=what, organisation_id=org_id,
                   after={"file": file_name, "inserted": inserted, "updated": updated, "layer": layer,
                          "rejected": rejected})
    return ImportReport(kind=what, file_name=file_name, imported=inserted, duplicates=updated,
                        rejected=rejected, redacted=0, crs=frame.attrs.get("source_crs"),
                        problems=tuple(frame.attrs.get("problems", ())))


def preview_walks(store: AnyStore, observations_data: bytes, observations_name: str,
                  organisation: str, *, walks_data: bytes | None = None,
                  walks_name: str | None = None, crs: str | None = None,
                  mapping: dict[str, str] | None = None):
    """(parsed observations, walks, problems of the walks table) without storing anything."""
    walk_problems: list[ImportProblem] = []
    walks = None
    if walks_data is not None:
        walks, walk_problems = parse_walk_table(walks_data, walks_name or "vandringar")
    options = options_for(store, organisation, KIND_WALK_OBSERVATION, crs=crs, mapping=mapping)
    parsed, walks = parse_walk_observations(observations_data, observations_name, walks, options)
    return refuse_overlong(parsed), walks, walk_problems


def detect_walks(observations_data: bytes, observations_name: str,
                 mapping: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """(attribute headers, field → header) of an observation file, for the column mapping."""
    headers = observation_headers(observations_data, observations_name)
    return headers, observation_columns(headers, mapping)


def import_walks(store: AnyStore, observations_data: bytes, observations_name: str,
                 organisation: str, *, walks_data: bytes | None = None,
                 walks_name: str | None = None, crs: str | None = None,
                 mapping: dict[str, str] | None = None, actor: str = "system") -> ImportReport:
    """Import trygghetsvandringar: the observation points and (optionally) the table of walks."""
    parsed, walks, walk_problems = preview_walks(
        store, observations_data, observations_name, organisation, walks_data=walks_data,
        walks_name=walks_name, crs=crs, mapping=mapping)
    refuse_if_nothing_usable(parsed)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        areas = repo.load_areas(conn, [org_id])
        batch_id = repo.create_batch(conn, org_id, source_kind="walks", file_name=observations_name,
                                     content_hash=parsed.content_hash, actor=actor, crs=parsed.crs)
        rows = privacy.redact_frame("walk_observation", parsed.frame)  # compared as stored
        rows["area_id"] = _area_ids(areas, rows["x"], rows["y"], None)
        walks = walks.assign(area_id=_walk_areas(walks, rows, areas))
        walk_ids = repo.upsert_walks(conn, org_id, walks, batch_id)
        rows["walk_id"] = rows.pop("walk_ref").map(walk_ids)
        existing = repo.existing_observation_keys(conn, walk_ids.values())
        keys = pd.Series(list(zip(rows["walk_id"], rows["source_id"], strict=True)), index=rows.index)
        duplicate = (keys.isin(existing) | keys.duplicated()).to_numpy()
        imported = repo.insert_rows(conn, KIND_WALK_OBSERVATION,
                                    rows[~duplicate].assign(organisation_id=org_id))
        report = _report(parsed, imported, int(duplicate.sum()), batch_id, walk_problems)
        _finish(conn, org_id, batch_id, report, actor, entity="safety_walk")
    return report


def _walk_areas(walks: pd.DataFrame, observations: pd.DataFrame, areas) -> list[int | None]:
    """A walk's area: the one it names, else the area holding most of its observations."""
    lookup = _area_lookup(areas) if len(areas) else {}
    result: list[int | None] = []
    for ref, name in zip(walks["ref"], walks["area_name"], strict=True):
        named = lookup.get(str(name).strip().lower()) if name is not None and not pd.isna(name) else None
        if named is None:
            ids = observations.loc[observations["walk_ref"] == ref, "area_id"].dropna()
            named = int(ids.mode().iloc[0]) if len(ids) else None
        result.append(named)
    return result


def import_indicators(store: AnyStore, data: bytes, file_name: str, organisation: str, *,
                      actor: str = "system") -> ImportReport:
    """Import area indicators; a population indicator also sets the area's population."""
    values, problems, content_hash = parse_indicators(data, file_name)
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        areas = repo.load_areas(conn, [org_id])
        lookup = _area_lookup(areas) if len(areas) else {}
        values["area_id"] = values["area_ref"].str.lower().map(lookup)
        unknown = values["area_id"].isna()
        for row, ref, column in values.loc[unknown, ["row", "area_ref", "area_column"]].drop_duplicates(
                ["row"]).itertuples(index=False):
            problems.append(ImportProblem(file_name, int(row), column,
                                          f"okänt område '{ref}' (finns inte bland områdena)"))
        matched = values[~unknown].astype({"area_id": int})
        if matched.empty and len(problems):  # nothing usable: an error, and the transaction rolls back
            first = "; ".join(str(p).removeprefix(f"{p.file}, ") for p in problems[:3])
            raise ImportValidationError(f"{file_name}: ingen rad kunde importeras, t.ex. {first}. "
                                        "Inget sparades.")
        batch_id = repo.create_batch(conn, org_id, source_kind="area-indicators",
                                     file_name=file_name, content_hash=content_hash, actor=actor,
                                     crs=None)
        inserted, updated = repo.upsert_indicators(
            conn, org_id, matched[["area_id", "year", "indicator", "value"]], batch_id)
        population = matched[matched["indicator"].map(is_population)]
        latest = population.sort_values("year").groupby("area_id").tail(1)
        for area_id, value in zip(latest["area_id"], latest["value"], strict=True):
            repo.set_area_population(conn, int(area_id), int(round(value)))
        problems.sort(key=lambda p: p.row or 0)
        report = ImportReport(kind="area_indicator", file_name=file_name, imported=inserted,
                              duplicates=updated, rejected=int(unknown.sum()) + len(
                                  [p for p in problems if "okänt område" not in p.message and p.row != HEADER_ROW]),
                              redacted=0, crs=None, problems=tuple(problems), batch_id=batch_id)
        _finish(conn, org_id, batch_id, report, actor, entity="area_indicator")
    return report


def save_profile(store: AnyStore, organisation: str, name: str, source_kind: str,
                 mapping: dict[str, str], crs: str | None = None, actor: str = "system") -> None:
    """Save a column mapping under ``name`` so the next file of the same kind imports in one step."""
    if not name.strip():
        raise ImportValidationError("Profilen behöver ett namn.")
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        repo.save_profile(conn, org_id, name.strip(), source_kind, mapping, crs)
        repo.audit(conn, actor=actor, verb="save", entity="import_profile", entity_id=name,
                   organisation_id=org_id, after={"source_kind": source_kind, "mapping": mapping,
                                                  "crs": crs})


def map_category(store: AnyStore, organisation: str, kind: str, original: str, category: str,
                 actor: str = "system") -> None:
    """Record that ``original`` means ``category`` for this organisation (used by later imports)."""
    with store.transaction() as conn:
        org_id = repo.ensure_organisation(conn, organisation)
        repo.set_category_mapping(conn, org_id, kind, original, category)
        repo.audit(conn, actor=actor, verb="save", entity="category_mapping", entity_id=original,
                   organisation_id=org_id, after={"kind": kind, "category": category})
