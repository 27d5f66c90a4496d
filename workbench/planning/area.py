"""The plan area: uploaded or drawn geometries → one valid polygonal area, with honest notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from workbench.errors import WorkbenchError
from workbench.geo.crs import in_sweden_3006

DEFAULT_BUFFER_M = 200
MAX_BUFFER_M = 2000
MIN_PLAN_AREA_M2 = 100.0  # smaller than a house plot: a drawing mistake, not a plan
MAX_PLAN_AREA_M2 = 50_000_000.0  # 50 km²: a fördjupad översiktsplan at most


class PlanAreaError(WorkbenchError):
    """The plan area cannot be used (a clear Swedish sentence saying why and what to do)."""


@dataclass(frozen=True)
class PlanArea:
    """A valid (Multi)Polygon in EPSG:3006 and what was done to get it (Swedish notes)."""

    geometry: BaseGeometry
    notes: tuple[str, ...] = ()

    @property
    def area_m2(self) -> float:
        return float(self.geometry.area)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygonal parts of a geometry (empty when there are none)."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def plan_area(geometries: Iterable[BaseGeometry | None], *, source: str) -> PlanArea:
    """One plan area from the geometries of a file or a drawing.

    Polygons are kept; closed lines (a CAD plangräns) become polygons; invalid polygons (e.g.
    self-intersecting) are repaired with ``make_valid`` and the repair is noted; everything is
    unioned. Raises :class:`PlanAreaError` when no usable area remains, when it is implausibly
    small or large, or when it does not lie in Sweden (SWEREF 99 TM).

    >>> square = shapely.box(370000, 6400000, 370100, 6400100)
    >>> plan_area([square], source="plan.geojson").area_m2
    10000.0
    """
    items = [g for g in geometries if g is not None and not g.is_empty]
    if not items:
        raise PlanAreaError(f"{source}: innehåller ingen geometri att använda som planområde.")
    parts = _Parts.sort(items)
    notes: list[str] = []
    polygons = parts.polygons + _closed_lines(parts, source, notes)
    if not polygons:
        what = "bara punkter" if parts.n_points else "inga ytor"
        raise PlanAreaError(f"{source}: innehåller {what}; planområdet måste vara en yta (polygon).")
    if parts.n_repaired:
        notes.append(f"{parts.n_repaired} ogiltig(a) polygon(er) (t.ex. en gräns som korsar sig själv) "
                     "reparerades automatiskt; kontrollera avgränsningen på kartan.")
    if parts.n_points:
        notes.append(f"{parts.n_points} punkt(er) i filen användes inte.")
    geometry = _union(polygons, source, notes)
    _check_size_and_place(geometry, source)
    return PlanArea(geometry, tuple(notes))


@dataclass
class _Parts:
    """The single parts of the geometries, by kind: polygons (invalid ones repaired and
    counted), lines that may close into an area, and points (not used)."""

    polygons: list[BaseGeometry]
    lines: list[BaseGeometry]
    n_points: int = 0
    n_repaired: int = 0

    @classmethod
    def sort(cls, items: list[BaseGeometry]) -> _Parts:
        out = cls([], [])
        for geometry in items:
            for part in shapely.get_parts(geometry):
                out._add(part)
        return out

    def _add(self, part: BaseGeometry) -> None:
        kind = part.geom_type
        if kind in ("Point", "MultiPoint"):
            self.n_points += 1
        elif kind in ("LineString", "LinearRing", "MultiLineString"):
            self.lines.append(part)
        elif kind == "Polygon":
            if not part.is_valid:
                self.n_repaired += 1
                part = _polygonal(shapely.make_valid(part))
            if not part.is_empty:
                self.polygons.append(part)
        else:  # a nested collection
            self.polygons.append(_polygonal(shapely.make_valid(part)))


def _closed_lines(parts: _Parts, source: str, notes: list[str]) -> list[BaseGeometry]:
    """The areas the lines close (a CAD plangräns), noted; an error when lines are all there is
    and they close nothing."""
    if not parts.lines:
        return []
    closed = _polygonal(shapely.polygonize([shapely.union_all(parts.lines)]))
    if not closed.is_empty:
        notes.append(f"{len(parts.lines)} linje(r) bildade slutna ytor och användes som planområdets gräns.")
        return [closed]
    if not parts.polygons:
        raise PlanAreaError(
            f"{source}: linjerna bildar ingen sluten yta. Planområdets gräns måste vara sluten "
            "(t.ex. en sluten polylinje i DXF-filen).")
    return []


def _union(polygons: list[BaseGeometry], source: str, notes: list[str]) -> BaseGeometry:
    """The polygons as one valid (Multi)Polygon; its number of parts noted when more than one."""
    geometry = shapely.union_all(polygons)
    geometry = _polygonal(geometry) if not geometry.is_valid else geometry
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        geometry = _polygonal(geometry)
    if geometry.is_empty or not geometry.is_valid:
        raise PlanAreaError(f"{source}: polygonen är ogiltig och kunde inte repareras. Rita om "
                            "planområdet eller rätta filen.")
    if len(polygons) > 1 or geometry.geom_type == "MultiPolygon":
        n_parts = shapely.get_num_geometries(geometry)
        if n_parts > 1:
            notes.append(f"Planområdet består av {n_parts} delytor.")
    return geometry


def _check_size_and_place(geometry: BaseGeometry, source: str) -> None:
    """A plan area is more than a house plot, less than 50 km² and in Sweden (SWEREF 99 TM)."""
    area = float(geometry.area)
    if area < MIN_PLAN_AREA_M2:
        raise PlanAreaError(f"{source}: planområdet är bara {area:.0f} m² – ritades det rätt, och "
                            "är koordinatsystemet rätt?")
    if area > MAX_PLAN_AREA_M2:
        raise PlanAreaError(f"{source}: planområdet är {area / 1e6:.0f} km², större än "
                            f"{MAX_PLAN_AREA_M2 / 1e6:.0f} km². Välj en detaljplan eller ett "
                            "planprogram, inte hela kommunen.")
    if not in_sweden_3006(*geometry.bounds):
        raise PlanAreaError(f"{source}: planområdet ligger inte i Sverige i SWEREF 99 TM – "
                            "kontrollera filens koordinatsystem.")


def check_buffer(buffer_m: float) -> float:
    """The buffer width in metres, validated (0–2000 m)."""
    value = float(buffer_m)
    if not np.isfinite(value) or not 0 <= value <= MAX_BUFFER_M:
        raise PlanAreaError(f"Omgivningen ska vara 0–{MAX_BUFFER_M} meter, inte {buffer_m}.")
    return value


def surroundings(plan: BaseGeometry, buffer_m: float) -> BaseGeometry:
    """The ring around the plan area out to ``buffer_m`` (for drawing; counting uses distances)."""
    return plan.buffer(buffer_m, quad_segs=16).difference(plan)


def zone_codes(plan: BaseGeometry, buffer_m: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per point: 1 inside the plan area (boundary included), 2 within ``buffer_m`` of it
    (exact distance, not a polygon approximation), 0 elsewhere or without coordinates."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    codes = np.zeros(len(x), dtype=np.int8)
    minx, miny, maxx, maxy = plan.bounds
    with np.errstate(invalid="ignore"):
        near = ((x >= minx - buffer_m) & (x <= maxx + buffer_m)
                & (y >= miny - buffer_m) & (y <= maxy + buffer_m))
    index = np.flatnonzero(near)
    if len(index) == 0:
        return codes
    shapely.prepare(plan)
    points = shapely.points(x[index], y[index])
    distance = shapely.distance(plan, points)
    codes[index[distance == 0]] = 1
    codes[index[(distance > 0) & (distance <= buffer_m)]] = 2
    return codes


def geometry_zone(plan: BaseGeometry, buffer_m: float, geometries) -> np.ndarray:
    """Per geometry (cells, places): 1 when it overlaps the plan area, 2 when it lies within
    ``buffer_m`` of it, 0 elsewhere."""
    geoms = np.asarray(geometries, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0, dtype=np.int8)
    distance = shapely.distance(plan, geoms)
    return np.where(distance == 0, 1, np.where(distance <= buffer_m, 2, 0)).astype(np.int8)
