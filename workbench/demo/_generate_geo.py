"""Approximate demo geography of Borås: districts, named places, neighbourhood-watch areas, sampling."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from workbench.demo._generate_common import (
    CRS_3006_MEMBER,
    weighted_choice,
    write_feature_collection,
)


@dataclass(frozen=True)
class DistrictSpec:
    """A district: name, code, seed point (SWEREF 99 TM easting, northing), approximate population."""

    name: str
    code: str
    x: float
    y: float
    population: int


DISTRICT_SPECS: Final = (
    DistrictSpec("Centrum", "BOR01", 377301, 6399514, 8000),
    DistrictSpec("Norrmalm", "BOR02", 377626, 6400395, 3500),
    DistrictSpec("Norrby", "BOR03", 376751, 6401035, 5500),
    DistrictSpec("Hulta", "BOR04", 375901, 6402453, 4500),
    DistrictSpec("Sjöbo", "BOR05", 377696, 6402733, 6000),
    DistrictSpec("Hässleholmen", "BOR06", 379022, 6401245, 5500),
    DistrictSpec("Kristineberg", "BOR07", 378975, 6399686, 3000),
    DistrictSpec("Göta", "BOR08", 378150, 6398040, 4000),
    DistrictSpec("Byttorp", "BOR09", 376356, 6397872, 4500),
    DistrictSpec("Trandared", "BOR10", 374898, 6398919, 3500),
    DistrictSpec("Brämhult", "BOR11", 380606, 6400418, 5000),
)

OUTLINE_BUFFER_M: Final = 1200.0
OUTLINE_SIMPLIFY_M: Final = 25.0
INSET_M: Final = 12.0  # sampled points keep this distance from borders, so rounding never crosses one


@dataclass(frozen=True)
class PlaceSpec:
    """A named place. Points have a radius; polygons are rotated rectangles (width × height)."""

    name: str
    kind: str
    x: float
    y: float
    radius_m: float | None = None
    width_m: float = 0.0
    height_m: float = 0.0
    angle_deg: float = 0.0


PLACE_SPECS: Final = (
    PlaceSpec("Resecentrum", "busstation", 376881, 6399438, radius_m=120),
    PlaceSpec("Stora torget", "torg", 377301, 6399514, width_m=80, height_m=60),
    PlaceSpec("Stadsparken", "park", 377020, 6399760, width_m=260, height_m=160, angle_deg=15),
    PlaceSpec("Hässleholmens centrum", "torg", 379060, 6401200, width_m=70, height_m=50),
    PlaceSpec("Hässleholmens skolgård", "skolgård", 379280, 6401470, width_m=120, height_m=90,
              angle_deg=-10),
    PlaceSpec("Gångtunneln vid Norrby", "gångtunnel", 376930, 6400790, radius_m=40),
    PlaceSpec("Norrby skolgård", "skolgård", 376560, 6401180, width_m=110, height_m=80, angle_deg=5),
    PlaceSpec("Sjöbo torg", "torg", 377720, 6402690, width_m=60, height_m=50),
    PlaceSpec("Hulta torg", "torg", 375930, 6402420, width_m=60, height_m=50),
    PlaceSpec("Brämhults centrum", "köpcentrum", 380560, 6400470, width_m=140, height_m=90,
              angle_deg=20),
)

# Neighbourhood-watch areas in residential districts: name, code, centre, size, rotation.
WATCH_SPECS: Final = (
    ("Grannsamverkan Byttorp", "GS01", 376250, 6397700, 380, 260, 12.0),
    ("Grannsamverkan Trandared", "GS02", 374800, 6398800, 340, 300, -8.0),
    ("Grannsamverkan Brämhult", "GS03", 380850, 6400250, 420, 280, 25.0),
    ("Grannsamverkan Göta", "GS04", 378300, 6397850, 300, 240, 0.0),
)


# A planned area to try the planning check on: a detaljplan between Norrby skolgård and the
# gångtunnel (corners in whole metres, SWEREF 99 TM), as a planning department would export it.
PLAN_SPEC: Final = ("Detaljplan för Norrby centrum (DEMO)", "Dp DEMO 2026:1",
                    ((376620, 6400900), (376900, 6400870), (376980, 6401060), (376800, 6401230),
                     (376600, 6401120)))


def _rectangle(x: float, y: float, width: float, height: float, angle_deg: float) -> Polygon:
    """A rotated rectangle with whole-metre corners, counter-clockwise."""
    a = np.deg2rad(angle_deg)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float) * [width / 2, height / 2]
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pts = np.rint(corners @ rot.T + [x, y])
    return orient(Polygon(pts), 1.0)


@dataclass(frozen=True)
class Place:
    """A built place: spec, geometry, and the index of its district."""

    spec: PlaceSpec
    geometry: BaseGeometry
    district: int


@dataclass(frozen=True)
class Geography:
    """Town outline, district polygons (in DISTRICT_SPECS order), places and watch areas."""

    outline: Polygon
    districts: tuple[Polygon, ...]
    places: dict[str, Place]
    watch_areas: tuple[tuple[str, str, Polygon], ...]

    @property
    def populations(self) -> np.ndarray:
        return np.array([d.population for d in DISTRICT_SPECS], dtype=float)

    def district_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the district containing each point, -1 if none."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        out = np.full(x.shape, -1, dtype=np.int64)
        for i, poly in enumerate(self.districts):
            inside = shapely.contains_xy(poly, x, y) & (out < 0)
            out[inside] = i
        return out


def district_index(name: str) -> int:
    """Index of the district called ``name``."""
    for i, spec in enumerate(DISTRICT_SPECS):
        if spec.name == name:
            return i
    raise KeyError(name)


def build_geography() -> Geography:
    """Build the Voronoi districts clipped to the town outline, the places and the watch areas."""
    seeds = MultiPoint([(d.x, d.y) for d in DISTRICT_SPECS])
    hull = seeds.convex_hull.buffer(OUTLINE_BUFFER_M).simplify(OUTLINE_SIMPLIFY_M)
    hull = shapely.set_precision(hull, 1.0)
    cells = list(shapely.voronoi_polygons(seeds, extend_to=hull).geoms)
    districts: list[Polygon] = []
    for spec in DISTRICT_SPECS:
        seed = Point(spec.x, spec.y)
        (cell,) = [c for c in cells if c.contains(seed)]
        clipped = shapely.set_precision(cell.intersection(hull), 1.0)
        if not isinstance(clipped, Polygon) or not clipped.is_valid:
            raise RuntimeError(f"district {spec.name} did not become one valid polygon")
        districts.append(orient(clipped, 1.0))
    # Rounding moves the clipped corners off the hull's edges by < 1 m, so the outline used from
    # here on is the exact union of the rounded districts: they tile it without gaps or overlaps.
    outline = shapely.union_all(districts)
    if not isinstance(outline, Polygon) or outline.interiors:
        raise RuntimeError("the districts do not tile one town outline")
    outline = orient(outline, 1.0)

    def locate(geom: BaseGeometry) -> int:
        centre = geom.centroid
        hits = [i for i, d in enumerate(districts) if d.contains(centre)]
        if len(hits) != 1 or not districts[hits[0]].contains(geom):
            raise RuntimeError("a demo place or area does not lie inside one district")
        return hits[0]

    places: dict[str, Place] = {}
    for p in PLACE_SPECS:
        geom: BaseGeometry = (
            Point(p.x, p.y) if p.radius_m is not None
            else _rectangle(p.x, p.y, p.width_m, p.height_m, p.angle_deg)
        )
        places[p.name] = Place(p, geom, locate(geom))
    watch = []
    for name, code, x, y, w, h, angle in WATCH_SPECS:
        poly = _rectangle(x, y, w, h, angle)
        locate(poly)
        watch.append((name, code, poly))
    return Geography(outline, tuple(districts), places, tuple(watch))


def _int_coords(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry dict with whole-metre integer coordinates."""
    def ints(obj: Any) -> Any:
        if isinstance(obj, (tuple, list)):
            if obj and isinstance(obj[0], (int, float)):
                return [int(round(v)) for v in obj]
            return [ints(o) for o in obj]
        return obj

    geo = mapping(geom)
    return {"type": geo["type"], "coordinates": ints(geo["coordinates"])}


def write_layers(geo: Geography, layers_dir: Path) -> dict[str, int]:
    """Write omraden, platser, grannsamverkan and the demo plan area as GeoJSON (EPSG:3006 with a
    crs member)."""
    districts = [
        {"type": "Feature",
         "properties": {"namn": s.name, "kod": s.code, "befolkning": s.population,
                        "ungefarlig": True},
         "geometry": _int_coords(poly)}
        for s, poly in zip(DISTRICT_SPECS, geo.districts, strict=True)
    ]
    places = [
        {"type": "Feature",
         "properties": {"namn": p.spec.name, "typ": p.spec.kind,
                        "radie_m": None if p.spec.radius_m is None else int(p.spec.radius_m),
                        "omrade": DISTRICT_SPECS[p.district].name},
         "geometry": _int_coords(p.geometry)}
        for p in geo.places.values()
    ]
    watch = [
        {"type": "Feature", "properties": {"namn": name, "kod": code},
         "geometry": _int_coords(poly)}
        for name, code, poly in geo.watch_areas
    ]
    return {
        "omraden.geojson": write_feature_collection(
            layers_dir / "omraden.geojson", "omraden", districts, crs=CRS_3006_MEMBER),
        "platser.geojson": write_feature_collection(
            layers_dir / "platser.geojson", "platser", places, crs=CRS_3006_MEMBER),
        "grannsamverkan.geojson": write_feature_collection(
            layers_dir / "grannsamverkan.geojson", "grannsamverkan", watch, crs=CRS_3006_MEMBER),
        "planomrade_norrby.geojson": write_feature_collection(
            layers_dir / "planomrade_norrby.geojson", "planomrade_norrby", [
                {"type": "Feature", "properties": {"namn": PLAN_SPEC[0], "planbeteckning": PLAN_SPEC[1]},
                 "geometry": _int_coords(orient(Polygon(PLAN_SPEC[2]), 1.0))}], crs=CRS_3006_MEMBER),
    }


# ----------------------------------------------------------------------------- point sampling


def _rejection(
    rng: np.random.Generator, region: BaseGeometry, n: int, draw: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Draw candidate batches with ``draw(rng, k)`` and keep the first ``n`` inside ``region``."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    have = 0
    shapely.prepare(region)
    while have < n:
        k = max(16, int((n - have) * 1.6))
        cx, cy = draw(rng, k)
        keep = shapely.contains_xy(region, cx, cy)
        xs.append(cx[keep])
        ys.append(cy[keep])
        have += int(keep.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def sample_gaussian(
    rng: np.random.Generator, region: BaseGeometry, cx: float, cy: float, sigma: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points normally distributed around (cx, cy), restricted to ``region``."""
    if n == 0:
        return np.zeros(0), np.zeros(0)
    return _rejection(rng, region, n,
                      lambda r, k: (r.normal(cx, sigma, k), r.normal(cy, sigma, k)))


def sample_uniform(
    rng: np.random.Generator, region: BaseGeometry, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniformly distributed in ``region``."""
    if n == 0:
        return np.zeros(0), np.zeros(0)
    x0, y0, x1, y1 = region.bounds
    return _rejection(rng, region, n,
                      lambda r, k: (r.uniform(x0, x1, k), r.uniform(y0, y1, k)))


def sample_in_districts(
    rng: np.random.Generator, geo: Geography, weights: np.ndarray | list[float], n: int,
    sigma: float | None = 450.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` points: district by ``weights``, then around its seed (or uniform if sigma is None)."""
    which = weighted_choice(rng, weights, n)
    x = np.zeros(n)
    y = np.zeros(n)
    for i, spec in enumerate(DISTRICT_SPECS):
        rows = np.flatnonzero(which == i)
        region = geo.districts[i].buffer(-INSET_M)
        if sigma is None:
            px, py = sample_uniform(rng, region, rows.size)
        else:
            s = sigma * (0.75 if spec.name == "Centrum" else 1.0)
            px, py = sample_gaussian(rng, region, spec.x, spec.y, s, rows.size)
        x[rows] = px
        y[rows] = py
    return x, y, which


def sample_near_place(
    rng: np.random.Generator, geo: Geography, name: str, n: int, spread: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points clustered on a named place (inside the town outline)."""
    place = geo.places[name]
    if place.spec.radius_m is not None:
        sigma = place.spec.radius_m / 2.0
    else:
        sigma = float(np.sqrt(place.geometry.area)) / 2.5
    centre = place.geometry.centroid
    region = geo.outline.buffer(-INSET_M)
    return sample_gaussian(rng, region, centre.x, centre.y, sigma * spread, n)
