"""Synthetic fault reports: the municipality's felanmälan and the housing company's reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from workbench.demo._generate_common import (
    LAST_MINUTE,
    MINUTES_PER_DAY,
    PERIOD_START,
    decimal_comma,
    format_minutes,
    sample_times,
    to_wgs84,
    weighted_choice,
    write_csv,
)
from workbench.demo._generate_geo import (
    DISTRICT_SPECS,
    Geography,
    district_index,
    sample_gaussian,
    sample_in_districts,
    sample_near_place,
)

FAULT_HEADER: Final = (
    "Ärendenr", "Kategori", "Registrerad", "Åtgärdad", "Status", "Beskrivning", "Latitud",
    "Longitud",
)
HOUSING_HEADER: Final = ("Ärende-ID", "Typ", "Anmäld", "Klar", "Fastighet", "N", "E")

# When people file reports: daytime, fewer at night and at weekends.
REPORT_HOURS: Final = (.2, .1, .1, .1, .1, .3, 1, 2.5, 4, 4.5, 4.5, 4.2, 3.8, 4, 4, 3.8, 3.4, 3,
                       2.6, 2.2, 1.8, 1.2, .7, .4)
MONTHS_FLAT: Final = (1.0,) * 12
MONTHS_DARK: Final = (1.5, 1.3, 1.0, .7, .5, .4, .4, .6, .9, 1.3, 1.6, 1.7)
MONTHS_SUMMER: Final = (.7, .7, .8, 1.0, 1.2, 1.35, 1.4, 1.35, 1.1, .9, .8, .7)
MONTHS_GREEN: Final = (.1, .1, .2, .6, 1.6, 2.2, 2.2, 1.8, 1.2, .5, .2, .1)

KLOTTER: Final = "Klotter"
WALL_COUNT: Final = 40
WALL_JITTER_M: Final = 2.0
WALL_SURFACES: Final = (
    "fasad", "elskåp", "bullerplank", "gångtunnelns vägg", "busskur", "skolans gavel",
    "förrådsbyggnad", "brofäste", "stödmur", "återvinningsstation",
)


@dataclass(frozen=True)
class FaultCategory:
    """Volume, seasonality, repair time (hours: lognormal median and spread) and texts."""

    name: str
    count: int
    months: tuple[float, ...]
    fix_median_h: float
    fix_sigma: float
    place_share: float  # share of reports clustered on the named places
    centrum_factor: float
    uniform: bool  # spread evenly over districts (lamps, bushes) instead of around the centres
    texts: tuple[str, ...]


FAULT_CATEGORIES: Final = (
    FaultCategory(KLOTTER, 1700, MONTHS_SUMMER, 0.0, 0.0, 0.35, 2.5, False,
                  ("Klotter på fasad", "Klotter på elskåp", "Klotter på busskur",
                   "Klotter i gångtunnel", "Taggar på skolans vägg", "Klotter på bullerplank",
                   "Klotter på lekplatsens förråd")),
    FaultCategory("Skadegörelse", 900, MONTHS_SUMMER, 120, 0.8, 0.25, 2.0, False,
                  ("Krossad glasruta i busskur", "Sönderslagen parkbänk",
                   "Nedsparkad papperskorg", "Trasigt staket vid lekplats", "Skadad skylt",
                   "Sönderslagen belysningsstolpe")),
    FaultCategory("Trasig belysning", 1300, MONTHS_DARK, 130, 0.7, 0.1, 1.2, True,
                  ("Gatlampa släckt", "Flera armaturer ur funktion längs gångvägen",
                   "Blinkande belysning i gångtunnel", "Mörkt vid busshållplats",
                   "Belysning i parken släckt")),
    FaultCategory("Nedskräpning", 1000, MONTHS_SUMMER, 40, 0.7, 0.3, 1.8, False,
                  ("Nedskräpning vid återvinningsstation", "Glaskross på gångbanan",
                   "Dumpade möbler vid gångväg", "Överfull papperskorg",
                   "Skräp efter helgen i parken")),
    FaultCategory("Vegetation/skymd sikt", 400, MONTHS_GREEN, 300, 0.6, 0.05, 1.0, True,
                  ("Buskage skymmer sikten vid övergångsställe", "Häck växer ut över gångbanan",
                   "Träd skymmer gatlampa", "Sly längs gångvägen gör den mörk")),
)


def klotter_fix_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    """Klotter removal: mostly within 48 hours as agreed, sometimes days, rarely weeks."""
    u = rng.random(n)
    return np.select(
        [u < 0.82, u < 0.95],
        [rng.uniform(3, 48, n), rng.uniform(48, 120, n)],
        default=rng.uniform(120, 500, n),
    )


def _place_points(
    rng: np.random.Generator, geo: Geography, n: int, place_share: float, centrum_factor: float,
    uniform: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Points: a share clustered on the named places, the rest over districts by population."""
    on_place = rng.random(n) < place_share
    x = np.zeros(n)
    y = np.zeros(n)
    names = list(geo.places)
    pick = rng.integers(0, len(names), n)
    for i, name in enumerate(names):
        rows = np.flatnonzero(on_place & (pick == i))
        x[rows], y[rows] = sample_near_place(rng, geo, name, rows.size, spread=2.0)
    rows = np.flatnonzero(~on_place)
    weights = geo.populations.copy()
    weights[district_index("Centrum")] *= centrum_factor
    x[rows], y[rows], _ = sample_in_districts(rng, geo, weights, rows.size,
                                              sigma=None if uniform else 500.0)
    return x, y


def _wall_reports(rng: np.random.Generator, geo: Geography) -> pd.DataFrame:
    """Klotter that returns: ~40 walls, a new report every few weeks after each removal."""
    wx, wy = _place_points(rng, geo, WALL_COUNT, 0.45, 2.5, False)
    surfaces = rng.choice(len(WALL_SURFACES), WALL_COUNT)
    records: list[dict[str, object]] = []
    for w in range(WALL_COUNT):
        day = int(rng.integers(0, 45))
        k = 0
        while True:
            reg = day * MINUTES_PER_DAY + int(
                60 * weighted_choice(rng, REPORT_HOURS, 1)[0] + rng.integers(0, 60))
            if reg > LAST_MINUTE:
                break
            fix = reg + int(klotter_fix_hours(rng, 1)[0] * 60)
            surface = WALL_SURFACES[surfaces[w]]
            text = (f"Klotter igen på {surface}" if k > 0 and rng.random() < 0.5
                    else f"Klotter på {surface}")
            records.append({
                "category": KLOTTER, "reg": reg, "fix": fix, "text": text, "stuck": False,
                "x": wx[w] + rng.uniform(-WALL_JITTER_M, WALL_JITTER_M),
                "y": wy[w] + rng.uniform(-WALL_JITTER_M, WALL_JITTER_M),
            })
            gap_days = 5 + rng.gamma(2.0, 11.0)
            day = int((fix + gap_days * MINUTES_PER_DAY) // MINUTES_PER_DAY)
            k += 1
    return pd.DataFrame.from_records(records)


def _one_off_reports(rng: np.random.Generator, geo: Geography) -> pd.DataFrame:
    parts: list[pd.DataFrame] = []
    for cat in FAULT_CATEGORIES:
        reg = sample_times(rng, cat.count, REPORT_HOURS, cat.months, 1.0, 0.6)
        if cat.name == KLOTTER:
            hours = klotter_fix_hours(rng, cat.count)
        else:
            hours = np.clip(cat.fix_median_h * np.exp(rng.normal(0, cat.fix_sigma, cat.count)),
                            2, 24 * 60)
        x, y = _place_points(rng, geo, cat.count, cat.place_share, cat.centrum_factor,
                             cat.uniform)
        parts.append(pd.DataFrame({
            "category": cat.name, "reg": reg, "fix": reg + (hours * 60).astype(np.int64),
            "text": np.array(cat.texts, dtype=object)[rng.integers(0, len(cat.texts),
                                                                    cat.count)],
            "stuck": rng.random(cat.count) < 0.02, "x": x, "y": y,
        }))
    return pd.concat(parts, ignore_index=True)


def write_fault_reports(rng: np.random.Generator, geo: Geography, path: Path) -> int:
    """Generate and write sample_incidents/felanmalan_kommunen.csv; return its row count."""
    frame = pd.concat([_wall_reports(rng, geo), _one_off_reports(rng, geo)], ignore_index=True)
    frame = frame.sort_values("reg", kind="stable").reset_index(drop=True)
    n = len(frame)
    reg = frame["reg"].to_numpy(dtype=np.int64)
    fix = (frame["fix"].to_numpy(dtype=np.int64) // 5) * 5
    fix = np.maximum(fix, reg + 5)
    open_ = (fix > LAST_MINUTE) | frame["stuck"].to_numpy(dtype=bool)
    recent = (LAST_MINUTE - reg) < 2 * MINUTES_PER_DAY
    stuck_received = rng.random(n) < 0.25
    status = np.where(~open_, "Åtgärdad",
                      np.where(recent | stuck_received, "Mottagen", "Pågående"))
    if (geo.district_of(frame["x"].to_numpy(), frame["y"].to_numpy()) < 0).any():
        raise RuntimeError("a fault report fell outside the town")
    lon, lat = to_wgs84(frame["x"].to_numpy(), frame["y"].to_numpy())
    reg_text = format_minutes(reg, "%Y-%m-%d %H.%M")
    fix_text = format_minutes(np.where(open_, 0, fix), "%Y-%m-%d %H.%M")
    lat_text = decimal_comma(lat, 5)
    lon_text = decimal_comma(lon, 5)
    numbers: list[str] = []
    counters: dict[str, int] = {}
    for text in reg_text:
        year = text[:4]
        if year not in counters:
            counters[year] = int(rng.integers(900, 2500))
        counters[year] += int(rng.integers(1, 4))  # other kinds of felanmälan in between
        numbers.append(f"FA-{year}-{counters[year]:06d}")
    categories = frame["category"].to_numpy(dtype=object)
    texts = frame["text"].to_numpy(dtype=object)
    rows = [
        (numbers[i], str(categories[i]), reg_text[i], "" if open_[i] else fix_text[i],
         str(status[i]), str(texts[i]), lat_text[i], lon_text[i])
        for i in range(n)
    ]
    return write_csv(path, FAULT_HEADER, rows, delimiter=";", newline="\n", encoding="utf-8")


# ----------------------------------------------------------------------------- housing company

HOUSING_DISTRICTS: Final = {"Hässleholmen": .40, "Hulta": .22, "Sjöbo": .20, "Norrby": .18}
HOUSING_COUNT: Final = 1800
PROPERTIES_PER_DISTRICT: Final = 12
# Type, share, days until done (min, max).
HOUSING_TYPES: Final = (
    ("Skadegörelse", .25, (1, 20)),
    ("Klotter", .23, (0, 5)),
    ("Belysning ur funktion", .18, (1, 14)),
    ("Nedskräpning/grovsopor", .24, (0, 7)),
    ("Inbrott förråd", .10, (2, 30)),
)


def _swedish_day(days: np.ndarray) -> list[str]:
    """Day indices as the housing company writes dates: D/M YYYY."""
    stamps = PERIOD_START + pd.to_timedelta(np.asarray(days, dtype=np.int64), unit="D")
    return [f"{t.day}/{t.month} {t.year}" for t in stamps]


def write_housing_reports(rng: np.random.Generator, geo: Geography, path: Path) -> int:
    """Generate and write sample_incidents/bostadsbolaget.csv (cp1252, tab); return row count."""
    labels: list[str] = []
    px: list[float] = []
    py: list[float] = []
    weights: list[float] = []
    for name, share in HOUSING_DISTRICTS.items():
        spec = DISTRICT_SPECS[district_index(name)]
        region = geo.districts[district_index(name)].buffer(-60)
        cx, cy = sample_gaussian(rng, region, spec.x, spec.y, 350.0, PROPERTIES_PER_DISTRICT)
        codes = rng.choice(9 * 40, PROPERTIES_PER_DISTRICT, replace=False)
        trouble = rng.gamma(0.8, 1.0, PROPERTIES_PER_DISTRICT) + 0.05
        for code, x, y, t in zip(codes, cx, cy, trouble, strict=True):
            labels.append(f"{name} {code // 40 + 1}:{code % 40 + 1}")
            px.append(float(x))
            py.append(float(y))
            weights.append(share * float(t) / float(trouble.sum()))
    prop = weighted_choice(rng, weights, HOUSING_COUNT)
    x = np.asarray(px)[prop] + np.clip(rng.normal(0, 12, HOUSING_COUNT), -40, 40)
    y = np.asarray(py)[prop] + np.clip(rng.normal(0, 12, HOUSING_COUNT), -40, 40)
    kind = weighted_choice(rng, [t[1] for t in HOUSING_TYPES], HOUSING_COUNT)
    day = sample_times(rng, HOUSING_COUNT, REPORT_HOURS, MONTHS_SUMMER, 1.0, 0.4)
    day = day // MINUTES_PER_DAY
    lo = np.array([HOUSING_TYPES[k][2][0] for k in kind])
    hi = np.array([HOUSING_TYPES[k][2][1] for k in kind])
    done = day + rng.integers(lo, hi + 1)
    last_day = LAST_MINUTE // MINUTES_PER_DAY
    no_done = (done > last_day) | (rng.random(HOUSING_COUNT) < 0.08)
    order = np.argsort(day, kind="stable")
    anmald = _swedish_day(day[order])
    klar = _swedish_day(np.where(no_done, 0, done)[order])
    n_text = decimal_comma(y[order], 1)
    e_text = decimal_comma(x[order], 1)
    rows = []
    counters: dict[int, int] = {}
    for j, i in enumerate(order):
        year = int(anmald[j].rsplit(" ", 1)[1])
        counters[year] = counters.get(year, 0) + 1
        rows.append((
            f"BB{year % 100:02d}-{counters[year]:05d}", HOUSING_TYPES[kind[i]][0], anmald[j],
            "" if no_done[i] else klar[j], labels[prop[i]], n_text[j], e_text[j],
        ))
    return write_csv(path, HOUSING_HEADER, rows, delimiter="\t", newline="\r\n",
                     encoding="cp1252")
