"""What every report shares: suppressed numbers, change wording, classification lines, geometry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import geopandas as gpd
import shapely

from workbench import numbers
from workbench.anonymise.suppress import is_suppressed, suppressed_label
from workbench.geo.crs import SWEREF99TM
from workbench.numbers import signed_percent


def answers(row: Any) -> str:
    """What an åtgärd (a list_actions row) answers: its commitments and the medborgarlöfte
    promises it fulfils ("Medborgarlöfte …: löftet"), for the documents' "Åtagande" column."""
    for name in ("answers", "commitments"):
        value = getattr(row, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def internal(min_count: int | None) -> str:
    """The classification line of the group's documents, with the real threshold ('<3', not '<N');
    without the small-numbers sentence when the document shows no counts."""
    small = "" if min_count is None else f" Antal under {min_count} visas som '<{min_count}'."
    return (f"Arbetsmaterial för EST-gruppen (kommun, polis, bostadsbolag).{small} Kan bli allmän "
            "handling – sekretessprövas vid begäran om utlämnande.")
PUBLIC = "Offentlig sammanfattning: bara områdesnivå, små tal dolda, bara text som markerats publik."
CHANGE_RULE = ("Förändringar prövas med ett exakt Poisson-test (betingat binomialtest, 5 % nivå); "
               "'ingen säker förändring' betyder att skillnaden kan vara slump.")


class Numbers:
    """Formats counts for a document: everything below ``min_count`` becomes '<N'."""

    def __init__(self, min_count: int) -> None:
        self.min_count = min_count

    def __call__(self, value: Any) -> str:
        return suppressed_label(value, self.min_count)

    def hidden(self, *values: Any) -> bool:
        return any(is_suppressed(v, self.min_count) for v in values)

    def total(self, *parts: Any) -> str:
        """A sum shown only when none of its parts is hidden: otherwise the hidden part could be
        worked out by subtraction ('<3' + 10 shown as 12 gives 2)."""
        if self.hidden(*parts):
            return "–"
        return self(sum(int(p) for p in parts))

    def value(self, value: Any) -> float | None:
        """The value for a chart: None where the number must not be shown."""
        if value is None or self.hidden(value):
            return None
        return float(value)

    def percent(self, change: dict[str, Any]) -> str:
        """'−12 %' (or '–' when a count is suppressed or the reference is zero)."""
        percent = change.get("percent")
        if self.hidden(change["current"], change["reference"]) or percent is None:
            return "–"
        return signed_percent(percent)

    def verdict(self, change: dict[str, Any]) -> str:
        if self.hidden(change["current"], change["reference"]):
            return "små tal – ingen bedömning"
        return str(change["label"])

    def change(self, change: dict[str, Any]) -> str:
        """'−12 % (ingen säker förändring)' or '–' when either count is suppressed."""
        if self.hidden(change["current"], change["reference"]):
            return "– (små tal)"
        percent = change.get("percent")
        amount = "–" if percent is None else signed_percent(percent)
        return f"{amount} ({change['label']})"


def decimal(value: float, digits: int = 1) -> str:
    """Swedish decimal comma: 146,0 (workbench.numbers)."""
    return numbers.decimal(value, digits)


def printed_at() -> str:
    return f"Utskriven {datetime.now():%Y-%m-%d %H:%M}"


def outlines_frame(areas: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Areas (``area_id``, ``area``, ``outline`` GeoJSON in EPSG:3006) as a GeoDataFrame."""
    rows = [a for a in areas if a.get("outline")]
    return gpd.GeoDataFrame(
        {"id": [int(a["area_id"]) for a in rows], "name": [a["area"] for a in rows]},
        geometry=[shapely.geometry.shape(a["outline"]) for a in rows], crs=SWEREF99TM)


def cells_frame(cells: list[dict[str, Any]]) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Hot-spot cells stored as (x0, y0, cell, class) → polygons and their classes ('hot_99' …)."""
    boxes = [shapely.box(c["x0"], c["y0"], c["x0"] + c["cell"], c["y0"] + c["cell"]) for c in cells]
    classes = [str(c["class"]) for c in cells]
    return gpd.GeoDataFrame(geometry=boxes, crs=SWEREF99TM), classes
