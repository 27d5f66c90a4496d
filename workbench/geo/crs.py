"""Coordinate reference systems: the only module that spells EPSG codes; detection from value ranges."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer

SWEREF99TM_EPSG = 3006
SWEREF99TM = f"EPSG:{SWEREF99TM_EPSG}"  # storage and analysis CRS (metres)
WGS84 = "EPSG:4326"  # the web map only
RT90_25GON_V = "EPSG:3021"
# SWEREF 99 local zones (12 00 … 23 15): used only when a file declares them.
SWEREF99_LOCAL = tuple(f"EPSG:{code}" for code in range(3007, 3019))
# Their own names, in the same order (pyproj: CRS.from_epsg(3008).name == "SWEREF99 13 30").
SWEREF99_LOCAL_NAMES = dict(zip(SWEREF99_LOCAL, (
    f"SWEREF 99 {zone}" for zone in ("12 00", "13 30", "15 00", "16 30", "18 00", "14 15",
                                     "15 45", "17 15", "18 45", "20 15", "21 45", "23 15")
), strict=True))

SWEDISH_CRS_NAMES = {
    SWEREF99TM: "SWEREF 99 TM",
    WGS84: "WGS 84",
    RT90_25GON_V: "RT 90 2.5 gon V",
    **SWEREF99_LOCAL_NAMES,
}
# The one label of each CRS a person may choose (Importera, Samhällsplanering): name and code.
CRS_LABELS_SV = {code: f"{SWEDISH_CRS_NAMES[code]} ({code})"
                 for code in (SWEREF99TM, *SWEREF99_LOCAL, RT90_25GON_V, WGS84)}
# A GeoJSON file's "crs" member naming SWEREF 99 TM (files the demo writes).
GEOJSON_CRS_3006 = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{SWEREF99TM_EPSG}"}}


def normalise_crs(value: str | int) -> str:
    """'3006', 3006, 'epsg:3006', 'urn:ogc:def:crs:EPSG::3006' → 'EPSG:3006'."""
    crs = CRS.from_user_input(value if not str(value).isdigit() else int(value))
    epsg = crs.to_epsg()
    if epsg is None:
        raise ValueError(f"koordinatsystemet '{value}' har ingen EPSG-kod")
    return f"EPSG:{epsg}"


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def transform(x: np.ndarray, y: np.ndarray, source: str, target: str = SWEREF99TM):
    """Vectorised transform of easting/lon ``x`` and northing/lat ``y`` arrays."""
    if source == target:
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return _transformer(source, target).transform(np.asarray(x, float), np.asarray(y, float))


def to_wgs84(easting: np.ndarray, northing: np.ndarray):
    """SWEREF 99 TM → (lon, lat)."""
    return transform(easting, northing, SWEREF99TM, WGS84)


@dataclass(frozen=True)
class DetectedCRS:
    """What :func:`detect_crs` concluded: the CRS and whether the two columns were swapped."""

    crs: str
    swapped: bool  # True when the first column holds northing/latitude


# Sweden's extent, the one definition (with a margin for the coast, the sea and the border):
# every "is this in Sweden?" check — point rows, area and place layers, walk points, plan files,
# CRS detection — uses these numbers.
SWEDEN_EXTENT_3006 = (200_000.0, 6_100_000.0, 1_000_000.0, 7_700_000.0)  # minx, miny, maxx, maxy
SWEDEN_EXTENT_WGS84 = (10.0, 55.0, 24.2, 69.1)  # lon/lat, the same area (also the default map view)
_SWEDEN_RT90 = (1_200_000.0, 6_100_000.0, 1_900_000.0, 7_700_000.0)

# Plausible ranges over Sweden, per CRS: (easting/lon range, northing/lat range).
_RANGES = {
    crs: ((minx, maxx), (miny, maxy))
    for crs, (minx, miny, maxx, maxy) in ((WGS84, SWEDEN_EXTENT_WGS84),
                                          (SWEREF99TM, SWEDEN_EXTENT_3006),
                                          (RT90_25GON_V, _SWEDEN_RT90))
}


def detect_crs(first: np.ndarray, second: np.ndarray) -> DetectedCRS | None:
    """Guess CRS and axis order of two coordinate columns from their value ranges.

    ``first``/``second`` are the columns in file order (NaN allowed). Returns None when no
    Swedish CRS fits at least 95 % of the rows. Local SWEREF zones are never guessed.

    >>> detect_crs(np.array([6399514.0]), np.array([377301.0]))
    DetectedCRS(crs='EPSG:3006', swapped=True)
    >>> detect_crs(np.array([12.94]), np.array([57.72]))
    DetectedCRS(crs='EPSG:4326', swapped=False)
    """
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    if not ok.any():
        return None
    a, b = a[ok], b[ok]
    best: tuple[float, DetectedCRS] | None = None
    for crs, ((e_lo, e_hi), (n_lo, n_hi)) in _RANGES.items():
        for swapped, (east, north) in ((False, (a, b)), (True, (b, a))):
            share = float(np.mean((east >= e_lo) & (east <= e_hi) & (north >= n_lo) & (north <= n_hi)))
            if share >= 0.95 and (best is None or share > best[0]):
                best = (share, DetectedCRS(crs, swapped))
    return best[1] if best else None


def inside_sweden(x, y):
    """Per point (SWEREF 99 TM arrays): True within Sweden's extent; NaN is outside."""
    minx, miny, maxx, maxy = SWEDEN_EXTENT_3006
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore"):
        return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)


def in_sweden_3006(minx, miny, maxx, maxy):
    """True when a SWEREF 99 TM bounding box lies within Sweden's extent (vectorised: arrays of
    bounds give an array; NaN or infinite bounds are outside).

    >>> in_sweden_3006(377000, 6399000, 378000, 6400000), in_sweden_3006(-420000, 5420000, 0, 6400000)
    (True, False)
    """
    inside = inside_sweden(minx, miny) & inside_sweden(maxx, maxy)
    return bool(inside) if np.ndim(inside) == 0 else inside
