"""One file, several kommuner: route each row to its kommun's organisation and store them together.

A row's kommun is read from the file's kommun column (name or kommunkod), from the Police events
API's ``location.name``, else from the point falling inside an organisation's boundary. Rows of
kommuner outside the chosen organisations are reported per row, never stored. In a database with
no organisation yet, one organisation is created per kommun found (named as in the data, with its
kommunkod), and the report says so. Everything is stored in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select

from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.kommuner import kommun_code, kommun_name
from workbench.io.importers.base import ImportOptions, ImportReport, ParsedFile
from workbench.io.importers.sources import POINT_SOURCES, parse_points
from workbench.services import imports
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import BoundStore, Store
from workbench.taxonomy import normalise_categories


@dataclass(frozen=True)
class Target:
    """An organisation rows can be routed to."""

    name: str
    code: str | None  # kommunkod
    boundary: object | None = None  # shapely geometry (EPSG:3006) or None


def targets(store: Store, *, police_areas: tuple[str, ...] = ()) -> list[Target]:
    """The organisations to route to: those of the police areas, or every one in the database."""
    table = t.Organisation.__table__
    query = select(table.c.name, table.c.municipality_code, table.c.boundary_wkb, table.c.police_area)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    for area in police_areas:
        if not any(r.police_area == area for r in rows):
            raise ImportValidationError(f"Lokalpolisområdet '{area}' har inga kommuner. Lägg upp dem "
                                        "först (workbench police-area eller sidan Polisområde).")
    if police_areas:
        rows = [r for r in rows if r.police_area in police_areas]
    return [Target(r.name, r.municipality_code or kommun_code(r.name),
                   shapely.from_wkb(r.boundary_wkb) if r.boundary_wkb is not None else None)
            for r in rows]


def row_kommuner(parsed: ParsedFile) -> pd.Series:
    """The kommun each row names (kommunkod, or NA): the kommun column, else the API's place."""
    given = parsed.extra.get("municipality")
    if given is None and parsed.extra.get("format") == "police-api":
        given = parsed.frame["area_code"]
    if given is None:
        return pd.Series(pd.NA, index=parsed.frame.index, dtype="string")
    values = pd.Series(given).reset_index(drop=True).astype("string")
    codes = {v: kommun_code(v) for v in values.dropna().unique()}
    return values.map(codes).astype("string")


def route(parsed: ParsedFile, chosen: list[Target], *, create: bool,
          area_label: str) -> tuple[dict[str, np.ndarray], list[ImportProblem], dict[str, str]]:
    """(organisation → positions of its rows, problems of rows routed nowhere, organisations to
    create: name → kommunkod)."""
    kommuner = row_kommuner(parsed)
    written = parsed.extra.get("municipality")
    written = (pd.Series(written).reset_index(drop=True).astype("string") if written is not None
               else parsed.frame["area_code"].astype("string"))
    by_code = {tg.code: tg.name for tg in chosen if tg.code}
    to_create: dict[str, str] = {}
    if create:
        for code in kommuner.dropna().unique():
            if code not in by_code:
                # named as in the data (the first spelling met), with its code
                first = written[kommuner == code].dropna()
                name = str(first.iloc[0]).strip() if len(first) else kommun_name(code)
                to_create[name] = code
                by_code[code] = name
    owner = kommuner.map(by_code).astype("object")
    # no kommun in the file: the organisation whose boundary holds the point
    unplaced = owner.isna().to_numpy() & kommuner.isna().to_numpy()
    frame = parsed.frame
    if unplaced.any():
        xs, ys = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
        for tg in chosen:
            if tg.boundary is None:
                continue
            idx = np.flatnonzero(unplaced & ~np.isnan(xs))
            inside = shapely.contains_xy(tg.boundary, xs[idx], ys[idx])
            owner.iloc[idx[inside]] = tg.name
            unplaced[idx[inside]] = False
    rows = parsed.source_rows if parsed.source_rows is not None else np.arange(len(frame)) + 2
    column = "kommun" if parsed.extra.get("municipality") is not None else "location.name"
    problems = []
    for i in np.flatnonzero(owner.isna().to_numpy()):
        place = written.iloc[i]
        if pd.isna(kommuner.iloc[i]) and (pd.isna(place) or not str(place).strip()):
            message = "kommunen går inte att avgöra (ingen kommun i filen och punkten ligger inte i någon kommuns gräns)"
        elif pd.isna(kommuner.iloc[i]):
            message = f"'{place}' är ingen kommun (t.ex. ett helt län) – raden kan inte knytas till en kommun"
        else:
            message = f"händelsen gäller {kommun_name(kommuner.iloc[i])}, som inte hör till {area_label}"
        problems.append(ImportProblem(parsed.file_name, int(rows[i]), column, message))
    groups = {name: np.flatnonzero((owner == name).to_numpy()) for name in owner.dropna().unique()}
    return groups, problems, to_create


def _part(parsed: ParsedFile, positions: np.ndarray, overrides: dict[str, str]) -> ParsedFile:
    frame = parsed.frame.iloc[positions].reset_index(drop=True)
    if overrides:  # this organisation's own category mapping
        frame["category"] = normalise_categories(frame["category_original"], parsed.kind, overrides)
    rows = parsed.source_rows[positions] if parsed.source_rows is not None else positions + 2
    return replace(parsed, frame=frame, problems=[], rejected=0, source_rows=rows,
                   extra={k: v for k, v in parsed.extra.items() if k != "municipality"})


def import_routed(store: Store, source_name: str, data: bytes, file_name: str, *,
                  police_areas: tuple[str, ...] = (), create: bool = False, crs: str | None = None,
                  mapping: dict[str, str] | None = None, sensitive: frozenset[str] | None = None,
                  actor: str = "system", on_change: str = "keep") -> ImportReport:
    """Import a file that covers several kommuner: each row into its kommun's organisation."""
    if source_name not in POINT_SOURCES:
        raise ImportValidationError(f"Okänd källa '{source_name}'.")
    kind, _ = POINT_SOURCES[source_name]
    options = ImportOptions(crs=crs, mapping=mapping)
    if sensitive is not None:
        options = replace(options, sensitive=sensitive)
    parsed = parse_points(source_name, data, file_name, None, options)
    chosen = targets(store, police_areas=police_areas) if not create else []
    label = " eller ".join(police_areas) or "organisationerna i databasen"
    if create and row_kommuner(parsed).isna().all():
        raise ImportValidationError(
            f"{file_name}: databasen har ingen organisation än och filen säger inte vilken kommun "
            "raderna gäller (ingen kommunkolumn). Ange organisationen (--organisation NAMN).")
    groups, problems, to_create = route(parsed, chosen, create=create, area_label=label)
    if not groups:
        imports.refuse_if_nothing_usable(replace(parsed, frame=parsed.frame.iloc[:0],
                                                 rejected=parsed.rejected + len(problems),
                                                 problems=problems + parsed.problems))
        raise ImportValidationError(f"{file_name}: ingen rad gäller {label}.")
    reports = []
    with store.transaction() as conn:
        for name, code in to_create.items():
            repo.ensure_organisation(conn, name, kind="kommun", municipality_code=code)
        bound = BoundStore(conn)
        for name, positions in sorted(groups.items()):
            org_id = repo.find_organisation(conn, name)
            overrides = repo.category_overrides(conn, org_id, kind) if org_id is not None else {}
            reports.append(imports.store_parsed(bound, _part(parsed, positions, overrides), name,
                                                actor=actor, source_kind=source_name,
                                                on_change=on_change))
    all_problems = sorted(problems + list(parsed.problems), key=lambda p: p.row or 0)
    changed_rows = tuple(sorted(r for rep in reports for r in rep.changed_rows))
    return ImportReport(
        kind=parsed.kind, file_name=file_name, imported=sum(r.imported for r in reports),
        duplicates=sum(r.duplicates for r in reports), rejected=parsed.rejected + len(problems),
        redacted=int(sum(parsed.redacted.values())), crs=parsed.crs, problems=tuple(all_problems),
        batch_id=None, changed=len(changed_rows), changed_rows=changed_rows,
        updated=sum(r.updated for r in reports),
        routed={r_name: n for rep in reports for r_name, n in rep.routed.items()},
        created=tuple(to_create))
