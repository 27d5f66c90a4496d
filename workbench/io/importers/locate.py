"""Coordinates of table rows: CRS from the user, else detected from value ranges; → EPSG:3006."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import ImportProblem, ImportValidationError
from workbench.geo.crs import SWEREF99TM, detect_crs, inside_sweden, normalise_crs, transform
from workbench.io.importers.parse import bad_where_given, parse_numbers


@dataclass
class Located:
    x: pd.Series
    y: pd.Series
    crs: str | None
    bad: np.ndarray  # rows whose coordinates are given but unusable


def locate(table: pd.DataFrame, columns: tuple[str, str], rows: np.ndarray, file_name: str,
           problems: list[ImportProblem], *, crs: str | None = None,
           known_crs: str | None = None, first_is_north: bool | None = None,
           require_sweden: bool = True) -> Located:
    """Parse, detect and transform the coordinate ``columns`` (file order) of ``table``.

    ``known_crs``/``first_is_north`` come from the file format itself (e.g. data.police.uk is
    WGS 84 lon/lat); ``crs`` is what the user declared. Problems are appended per row.
    """
    a_name, b_name = columns
    a, b = parse_numbers(table[a_name]), parse_numbers(table[b_name])
    bad = np.zeros(len(table), dtype=bool)
    for name, values in ((a_name, a), (b_name, b)):
        unusable = bad_where_given(table[name], values) & ~bad
        for i in np.flatnonzero(unusable):
            problems.append(ImportProblem(file_name, int(rows[i]), name,
                                          f"ogiltig koordinat '{table[name].iat[i]}'"))
        bad |= unusable
    x = pd.Series(np.nan, index=table.index)
    y = pd.Series(np.nan, index=table.index)
    both = (a.notna() & b.notna()).to_numpy() & ~bad
    if not both.any():
        return Located(x, y, known_crs or crs, bad)
    if known_crs is not None:
        used, north_first = known_crs, bool(first_is_north)
    else:
        used, north_first = _resolve(a[both], b[both], crs, file_name, a_name, b_name)
    east, north = (b, a) if north_first else (a, b)
    ex, ny = transform(east[both].to_numpy(), north[both].to_numpy(), used, SWEREF99TM)
    x[both], y[both] = ex, ny
    if require_sweden:
        outside = both & ~inside_sweden(x.to_numpy(), y.to_numpy())
        for i in np.flatnonzero(outside):
            problems.append(ImportProblem(file_name, int(rows[i]), a_name,
                                          "koordinaten ligger utanför Sverige"))
        bad |= outside
        x[outside], y[outside] = np.nan, np.nan
    return Located(x, y, used, bad)


def _resolve(a: pd.Series, b: pd.Series, crs: str | None, file_name: str, a_name: str,
             b_name: str) -> tuple[str, bool]:
    """(CRS, first column is northing/latitude)."""
    if crs:
        try:
            declared = normalise_crs(crs)
        except Exception as exc:  # noqa: BLE001 - pyproj raises several types
            raise ImportValidationError(f"{file_name}: okänt koordinatsystem '{crs}'.") from exc
        for north_first in (False, True):
            east, north = (b, a) if north_first else (a, b)
            ex, ny = transform(east.to_numpy(), north.to_numpy(), declared, SWEREF99TM)
            if inside_sweden(np.asarray(ex), np.asarray(ny)).mean() >= 0.95:
                return declared, north_first
        return declared, False
    detected = detect_crs(a.to_numpy(), b.to_numpy())
    if detected is None:
        raise ImportValidationError(
            f"{file_name}: kan inte avgöra koordinatsystemet för kolumnerna '{a_name}' och "
            f"'{b_name}' – ange det med --crs (t.ex. EPSG:3006 för SWEREF 99 TM)."
        )
    return detected.crs, detected.swapped
