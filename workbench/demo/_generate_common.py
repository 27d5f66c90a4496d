"""Shared constants and helpers of the demo generator: period, time arithmetic, formatting, writing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from pyproj import Transformer

from workbench.geo.crs import GEOJSON_CRS_3006, SWEREF99TM, WGS84

SEED: Final = 20261122

# The demo period: two full years, both ends inclusive. Times are naive local time.
PERIOD_START: Final = pd.Timestamp("2024-11-01 00:00")
PERIOD_END: Final = pd.Timestamp("2026-10-31 23:59")
N_DAYS: Final = 730
MINUTES_PER_DAY: Final = 1440
LAST_MINUTE: Final = N_DAYS * MINUTES_PER_DAY - 1  # minutes since PERIOD_START of PERIOD_END

DAYS: Final = pd.date_range(PERIOD_START, periods=N_DAYS, freq="D")
DAY_WEEKDAY: Final = np.asarray(DAYS.day_of_week, dtype=np.int64)  # Monday = 0
DAY_MONTH: Final = np.asarray(DAYS.month, dtype=np.int64)  # 1..12

CRS_3006_MEMBER: Final = GEOJSON_CRS_3006

_TO_WGS84: Final = Transformer.from_crs(SWEREF99TM, WGS84, always_xy=True)


def day_index(date: str) -> int:
    """Index of ``date`` (YYYY-MM-DD) in the period; raises if outside it."""
    index = (pd.Timestamp(date) - PERIOD_START).days
    if not 0 <= index < N_DAYS:
        raise ValueError(f"{date} is outside the demo period")
    return index


def minutes_to_timestamps(minutes: np.ndarray) -> pd.DatetimeIndex:
    """Minutes since PERIOD_START as naive timestamps."""
    return PERIOD_START + pd.to_timedelta(np.asarray(minutes, dtype=np.int64), unit="min")


def format_minutes(minutes: np.ndarray, fmt: str) -> list[str]:
    """Format minutes since PERIOD_START with a strftime pattern."""
    return [str(s) for s in minutes_to_timestamps(minutes).strftime(fmt)]


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SWEREF 99 TM easting/northing to WGS 84 longitude/latitude."""
    lon, lat = _TO_WGS84.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lon), np.asarray(lat)


def decimal_comma(values: np.ndarray, decimals: int) -> list[str]:
    """Numbers with a fixed number of decimals and a Swedish decimal comma."""
    return [f"{v:.{decimals}f}".replace(".", ",") for v in np.asarray(values, dtype=float)]


def weighted_choice(
    rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int
) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights``."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def round_minutes(rng: np.random.Generator, minutes: np.ndarray) -> np.ndarray:
    """Round times the way people report them: often to the hour, quarter or five minutes."""
    minutes = np.asarray(minutes, dtype=np.int64)
    style = rng.random(minutes.size)
    step = np.select([style < 0.35, style < 0.6, style < 0.85], [60, 15, 5], default=1)
    return (minutes // step) * step


def weekend_factors(weekend_night: float, weekend_day: float) -> np.ndarray:
    """(day, hour) factors: Fri/Sat evenings and the nights after them; Sat/Sun daytime."""
    wd = DAY_WEEKDAY[:, None]
    h = np.arange(24)[None, :]
    night = (np.isin(wd, (4, 5)) & (h >= 18)) | (np.isin(wd, (5, 6)) & (h < 6))
    day = np.isin(wd, (5, 6)) & (h >= 6) & (h < 18)
    return np.where(night, weekend_night, 1.0) * np.where(day, weekend_day, 1.0)


def sample_times(
    rng: np.random.Generator,
    n: int,
    hour_weights: Sequence[float],
    month_weights: Sequence[float],
    weekend_night: float = 1.0,
    weekend_day: float = 1.0,
) -> np.ndarray:
    """``n`` times (minutes since PERIOD_START) drawn from a (day, hour) weight pattern."""
    weights = (np.asarray(month_weights, dtype=float)[DAY_MONTH - 1][:, None]
               * np.asarray(hour_weights, dtype=float)[None, :]
               * weekend_factors(weekend_night, weekend_day))
    cells = weighted_choice(rng, weights.ravel(), n)
    minutes = (cells // 24) * MINUTES_PER_DAY + (cells % 24) * 60 + rng.integers(0, 60, n)
    return round_minutes(rng, minutes)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    delimiter: str,
    newline: str,
    encoding: str,
    bom: bool = False,
) -> int:
    """Write a delimited text file byte-exactly; no quoting, so no field may contain the delimiter."""
    lines = [delimiter.join(header)]
    count = 0
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row has {len(row)} fields, header has {len(header)}")
        for field in row:
            if delimiter in field or "\n" in field or "\r" in field or '"' in field:
                raise ValueError(f"field cannot be written unquoted: {field!r}")
        lines.append(delimiter.join(row))
        count += 1
    data = (newline.join(lines) + newline).encode(encoding, errors="strict")
    if bom:
        data = "\ufeff".encode(encoding) + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return count


def write_feature_collection(
    path: Path, name: str, features: Sequence[dict[str, Any]], *, crs: dict[str, Any] | None
) -> int:
    """Write a GeoJSON FeatureCollection as UTF-8 (no BOM), one feature per line, ``\\n`` endings."""
    head: dict[str, Any] = {"type": "FeatureCollection", "name": name}
    if crs is not None:
        head["crs"] = crs
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    text = opening + "\n" + body + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return len(features)
