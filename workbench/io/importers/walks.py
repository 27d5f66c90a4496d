"""Trygghetsvandringar: a table of walks and a point layer of their observations."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from workbench.anonymise.scan import redact_series
from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.importers.base import ParsedFile, content_ids, file_hash
from workbench.io.importers.columns import match_columns, normalise_header
from workbench.io.importers.parse import parse_datetimes
from workbench.io.importers.read import read_table
from workbench.io.layers import read_geofile
from workbench.schema import KIND_WALK_OBSERVATION, PRECISION_EXACT, SOURCE_WALK, conform
from workbench.taxonomy import normalise_categories

WALK_FIELDS = ("walk_ref", "from_datetime", "area_code", "description")


def parse_walk_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Walks: ref, walk_date, area_name, participants (roles only), notes."""
    table, _ = read_table(data, file_name)
    columns = match_columns(list(table.columns), WALK_FIELDS)
    participants = next((c for c in table.columns
                         if normalise_header(c) in {"deltagare", "participants", "medverkande"}), None)
    if "walk_ref" not in columns or "from_datetime" not in columns:
        raise ImportValidationError(
            f"{file_name}: vandringstabellen behöver kolumnerna 'Vandring' och 'Datum'."
        )
    dates = parse_datetimes(table[columns["from_datetime"]])
    problems = [ImportProblem(file_name, int(i) + 2, columns["from_datetime"],
                              f"ogiltigt datum '{table.loc[i, columns['from_datetime']]}'")
                for i in table.index[dates.isna()]]
    keep = dates.notna()
    notes = table[columns["description"]] if "description" in columns else pd.Series("", index=table.index)
    notes, _counts, _ = redact_series(notes)
    walks = pd.DataFrame({
        "ref": table[columns["walk_ref"]].str.strip(),
        "walk_date": dates.dt.date,
        "area_name": table[columns["area_code"]].str.strip() if "area_code" in columns else pd.NA,
        "participants": table[participants].str.strip() if participants else pd.NA,
        "notes": notes.replace("", pd.NA),
    })[keep.to_numpy()].reset_index(drop=True)
    return walks, problems


def parse_walk_observations(data: bytes, file_name: str, walks: pd.DataFrame) -> ParsedFile:
    """Observation points (GeoJSON/GPKG/zipped Shapefile) linked to ``walks`` by walk ref."""
    layer = read_geofile(data, file_name)
    attributes = pd.DataFrame(layer.drop(columns="geometry")).astype("string").fillna("")
    columns = match_columns(list(attributes.columns),
                            ("walk_ref", "source_id", "category", "description", "priority",
                             "photo_ref", "status", "from_datetime"))
    if "category" not in columns:
        raise ImportValidationError(f"{file_name}: iakttagelserna saknar kolumnen 'kategori'.")
    problems: list[ImportProblem] = []
    points = layer.geometry.representative_point()
    x, y = points.x.to_numpy(), points.y.to_numpy()
    walk_ref = (attributes[columns["walk_ref"]].str.strip() if "walk_ref" in columns
                else pd.Series(walks["ref"].iloc[0] if len(walks) == 1 else "", index=attributes.index))
    known = set(walks["ref"])
    unknown = ~walk_ref.isin(known).to_numpy()
    for i in np.flatnonzero(unknown):
        problems.append(ImportProblem(file_name, int(i) + 1, columns.get("walk_ref", "vandring"),
                                      f"okänd vandring '{walk_ref.iloc[i]}'"))
    keep = ~unknown
    dates = dict(zip(walks["ref"], pd.to_datetime(walks["walk_date"]), strict=True))
    observed = (parse_datetimes(attributes[columns["from_datetime"]])
                if "from_datetime" in columns else pd.Series(pd.NaT, index=attributes.index))
    observed = observed.fillna(walk_ref.map(dates))
    original = attributes[columns["category"]].str.strip()
    comment, redacted, _ = redact_series(attributes[columns["description"]]
                                         if "description" in columns
                                         else pd.Series("", index=attributes.index))
    frame = pd.DataFrame({
        "walk_ref": walk_ref,
        "category": normalise_categories(original.replace("", pd.NA), KIND_WALK_OBSERVATION),
        "category_original": original,
        "observed_at": observed,
        "priority": pd.to_numeric(attributes[columns["priority"]], errors="coerce").astype("Int64")
        if "priority" in columns else pd.NA,
        "comment": comment.replace("", pd.NA),
        "photo_ref": attributes[columns["photo_ref"]].replace("", pd.NA) if "photo_ref" in columns else pd.NA,
        "status": attributes[columns["status"]].replace("", pd.NA) if "status" in columns else pd.NA,
        "x": x, "y": y, "precision": PRECISION_EXACT,
    })[keep]
    if "source_id" in columns and attributes[columns["source_id"]][keep].str.strip().ne("").all():
        frame["source_id"] = attributes[columns["source_id"]][keep].str.strip()
    else:
        frame["source_id"] = content_ids(frame, ["walk_ref", "category_original", "x", "y"])
    return ParsedFile(
        kind=KIND_WALK_OBSERVATION, source=SOURCE_WALK, file_name=file_name,
        content_hash=file_hash(data), frame=conform(frame, KIND_WALK_OBSERVATION),
        problems=problems, redacted=Counter(redacted), crs=layer.attrs.get("source_crs"), rejected=int(unknown.sum()),
    )
