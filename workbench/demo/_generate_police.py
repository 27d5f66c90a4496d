"""Synthetic kommunpolis export (polisen_export.csv) with realistic time and place patterns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from workbench.demo._generate_common import (
    LAST_MINUTE,
    MINUTES_PER_DAY,
    day_index,
    format_minutes,
    round_minutes,
    sample_times,
    weighted_choice,
    write_csv,
)
from workbench.demo._generate_geo import (
    DISTRICT_SPECS,
    Geography,
    district_index,
    sample_in_districts,
    sample_near_place,
)

HEADER: Final = (
    "Händelsenummer", "Brottstyp", "Från datum", "Från tid", "Till datum", "Till tid",
    "X", "Y", "Områdeskod", "Fritext",
)

DOMESTIC: Final = "Misshandel, närstående"  # våld i nära relation: never a point, only the area
NO_POINT_SHARE: Final = 0.03  # other rows that only carry Områdeskod

# The planted, obviously fake personal data the redaction feature must find (one row each).
FAKE_PERSONAL_DATA: Final = (
    ("Olaga hot", "Anmälare 19811218-9876 hördes."),
    ("Ofredande", "Målsägande nås på 070-123 45 67."),
    ("Stöld", "Anmälan inkom via anmalare@example.se."),
    ("Skadegörelse", "Bil med reg.nr ABC 123 sågs lämna platsen."),
)

# Relative weight per hour 0..23.
HOUR_PROFILES: Final[dict[str, tuple[float, ...]]] = {
    "night": (8, 6, 5, 3, 1.5, .7, .5, .5, .7, .8, 1, 1.2, 1.4, 1.5, 1.6, 1.8, 2.2, 2.8, 3.5,
              4.5, 5.5, 6.5, 7.5, 8.5),
    "evening": (3, 2, 1.2, .7, .4, .3, .4, .8, 1, 1, 1.2, 1.4, 1.6, 2, 2.6, 3.2, 3.8, 4.2, 4.6,
                5, 5, 4.6, 4, 3.4),
    "shop": (.1, .05, .05, .05, .05, .1, .2, .5, 1, 2, 3.2, 3.8, 4, 4, 4.2, 4.5, 4.8, 4.8, 4.2,
             3.2, 2.2, 1.2, .5, .2),
    "day": (.6, .4, .3, .3, .3, .4, .8, 1.4, 2, 2.4, 2.8, 3, 3.2, 3.2, 3.2, 3.3, 3.4, 3.2, 2.8,
            2.4, 2, 1.6, 1.2, .9),
    "home_day": (.6, .5, .4, .4, .4, .5, .8, 1.6, 2.6, 3, 3.2, 3.2, 3.2, 3.2, 3.2, 3.2, 3, 2.6,
                 2.2, 1.8, 1.4, 1.1, .9, .7),
    "vandal": (4, 3.5, 2.8, 2, 1.2, .6, .5, .6, .8, .9, 1, 1.1, 1.2, 1.3, 1.5, 1.8, 2.2, 2.6, 3,
               3.6, 4.2, 4.8, 5, 4.6),
    "car_night": (3.5, 3.5, 3.2, 3, 2.5, 1.8, 1, .8, .8, .8, .9, 1, 1, 1, 1, 1.1, 1.3, 1.6, 2,
                  2.4, 2.8, 3.2, 3.4, 3.5),
    "bike": (.4, .3, .2, .2, .2, .3, .8, 1.8, 2.4, 2.4, 2.4, 2.6, 2.8, 2.8, 2.8, 3, 3.2, 3.2, 3,
             2.8, 2.4, 1.8, 1.2, .7),
    "drugs": (2, 1.5, 1, .6, .3, .2, .2, .3, .6, 1, 1.4, 1.8, 2.2, 2.6, 3, 3.4, 3.8, 4, 4, 3.8,
              3.6, 3.4, 3, 2.5),
    "drink_drive": (4, 4, 3.5, 2.5, 2, 1.5, 1.2, 1, .8, .8, .8, .9, 1, 1.1, 1.3, 1.6, 2, 2.4,
                    2.6, 2.8, 3, 3.2, 3.4, 3.8),
    "domestic": (3, 2.4, 1.6, 1, .6, .4, .5, .8, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.7, 2, 2.5, 3, 3.5,
                 4, 4.2, 4.2, 4, 3.6),
    "hub": (2.5, 1.6, .8, .4, .3, .5, 1.2, 2.2, 2.4, 2.2, 2.2, 2.4, 2.6, 2.8, 3.2, 3.8, 4.2, 4.4,
            4.6, 4.8, 4.8, 4.6, 4, 3.4),
    "youth": (1.5, .8, .4, .2, .1, .1, .1, .2, .3, .4, .5, .6, .8, 1, 1.4, 2, 2.8, 3.6, 4.4, 5,
              5.2, 4.8, 3.8, 2.6),
}

# Relative weight per month 1..12.
SEASONS: Final[dict[str, tuple[float, ...]]] = {
    "mild": (.9, .88, .92, .98, 1.05, 1.12, 1.15, 1.12, 1.05, 1, .95, .95),
    "bike": (.25, .25, .45, .9, 1.4, 1.7, 1.8, 1.75, 1.4, .9, .5, .3),
    "burglary": (1.2, 1, .9, .85, .85, .9, 1.25, 1.1, .9, 1.05, 1.2, 1.3),
    "flat": (1,) * 12,
}


@dataclass(frozen=True)
class CrimeType:
    """Background volume and patterns of one Brottstyp."""

    name: str
    count: int
    hours: str
    season: str = "mild"
    weekend_night: float = 1.0  # factor for Fri/Sat evenings and the nights after them
    weekend_day: float = 1.0  # factor for Sat/Sun daytime
    span_share: float = 0.03  # share of rows with Till datum/tid
    span_hours: tuple[float, float] = (0.2, 2.0)
    district_factor: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


CRIME_TYPES: Final = (
    CrimeType("Stöld", 3000, "day", weekend_day=1.1, span_share=0.3, span_hours=(1, 8),
              district_factor={"Centrum": 2.6},
              notes=("Plånbok stulen ur väska.", "Mobiltelefon stulen på bussen.",
                     "Väska lämnad obevakad en kort stund.")),
    CrimeType("Butiksstöld/snatteri", 2600, "shop", season="flat", weekend_day=1.25,
              district_factor={"Centrum": 3.2, "Hässleholmen": 1.4, "Brämhult": 1.5},
              notes=("Butikspersonal ingrep.", "Varor för mindre belopp.",
                     "Gärningspersonen lämnade platsen innan polis kom.")),
    CrimeType("Skadegörelse", 2400, "vandal", weekend_night=1.8, span_share=0.5,
              span_hours=(1, 36), district_factor={"Centrum": 1.6, "Hässleholmen": 1.3},
              notes=("Fönsterruta krossad.", "Busskur sönderslagen.",
                     "Papperskorg sparkad sönder.", "Glasdörr spräckt efter stenkast.")),
    CrimeType("Skadegörelse genom klotter", 1800, "vandal", weekend_night=1.6, span_share=0.4,
              span_hours=(2, 48), district_factor={"Centrum": 2.0, "Hässleholmen": 1.3},
              notes=("Klotter på fasad.", "Klotter på elskåp.", "Taggar på busskur.")),
    CrimeType("Cykelstöld", 2000, "bike", season="bike", span_share=0.75, span_hours=(1, 48),
              district_factor={"Centrum": 2.4},
              notes=("Målsägande uppger att cykeln var låst.", "Cykeln stod olåst vid entrén.",
                     "Cykel stulen från cykelställ.")),
    CrimeType("Stöld ur/från motorfordon", 1500, "car_night", span_share=0.8, span_hours=(4, 24),
              district_factor={"Centrum": 1.3},
              notes=("Sidoruta krossad, väska stulen.", "Bilen uppbruten under natten.",
                     "Verktyg stulna ur firmabil.")),
    CrimeType("Narkotikabrott, innehav", 1400, "drugs", weekend_night=1.5,
              district_factor={"Centrum": 2.2},
              notes=("Påträffades vid kontroll.", "Mindre mängd cannabis i beslag.",
                     "Personen uppvisade påverkanstecken.")),
    CrimeType("Misshandel, utomhus", 900, "night", weekend_night=2.8,
              district_factor={"Centrum": 2.8},
              notes=("Slag mot huvudet, mindre skador.", "Bråk mellan flera personer.",
                     "Målsägande fördes till akuten.")),
    CrimeType("Misshandel, inomhus", 600, "night", weekend_night=2.2,
              district_factor={"Centrum": 2.0},
              notes=("Bråk på restaurang.", "Händelsen inträffade i trapphus.")),
    CrimeType("Ofredande", 900, "evening", weekend_night=1.5,
              district_factor={"Centrum": 1.8},
              notes=("Målsägande förföljd en bit.", "Tillrop och knuffar.",
                     "Obehagligt tilltal från okänd person.")),
    CrimeType("Olaga hot", 900, "evening", weekend_night=1.4,
              district_factor={"Centrum": 1.6},
              notes=("Hot uttalade efter bråk.", "Hot via sociala medier.",
                     "Hot mot personal i butik.")),
    CrimeType("Ordningsstörning", 800, "night", weekend_night=3.0,
              district_factor={"Centrum": 2.6},
              notes=("Högljudd grupp, flera samtal till polisen.",
                     "Berusad person störde ordningen.")),
    CrimeType("Inbrott i bostad", 700, "home_day", season="burglary", span_share=0.85,
              span_hours=(2, 48),
              district_factor={"Centrum": 0.6, "Brämhult": 1.4, "Byttorp": 1.4,
                               "Trandared": 1.4, "Göta": 1.3},
              notes=("Balkongdörr uppbruten.", "Smycken och elektronik saknas.",
                     "Inbrott medan familjen var bortrest.")),
    CrimeType("Rattfylleri", 450, "drink_drive", weekend_night=2.0,
              notes=("Upptäckt vid trafikkontroll.", "Sållningsprov positivt.")),
    CrimeType("Rån mot person", 150, "evening", weekend_night=1.6,
              district_factor={"Centrum": 2.0},
              notes=("Gärningspersonerna krävde mobiltelefon.", "Målsägande hotades med kniv.",
                     "Jacka och plånbok tagna.")),
    CrimeType(DOMESTIC, 650, "domestic", weekend_night=1.6, district_factor={"Centrum": 0.8}),
)
TYPE_BY_NAME: Final = {t.name: t for t in CRIME_TYPES}


@dataclass(frozen=True)
class Hotspot:
    """A true cluster on a named place: volume, crime mix and time pattern."""

    place: str
    count: int
    mix: dict[str, float]
    hours: str
    weekend_night: float


HOTSPOTS: Final = (
    Hotspot("Resecentrum", 1700,
            {"Stöld": .25, "Ofredande": .12, "Misshandel, utomhus": .12, "Ordningsstörning": .15,
             "Narkotikabrott, innehav": .12, "Rån mot person": .04, "Olaga hot": .08,
             "Skadegörelse": .06, "Cykelstöld": .06}, "hub", 1.6),
    Hotspot("Stora torget", 1000,
            {"Misshandel, utomhus": .25, "Ordningsstörning": .25, "Stöld": .15,
             "Butiksstöld/snatteri": .10, "Skadegörelse": .10, "Olaga hot": .07,
             "Narkotikabrott, innehav": .08}, "night", 2.5),
    Hotspot("Hässleholmens skolgård", 550,
            {"Skadegörelse": .35, "Skadegörelse genom klotter": .35, "Ordningsstörning": .2,
             "Narkotikabrott, innehav": .1}, "youth", 1.8),
    Hotspot("Gångtunneln vid Norrby", 260,
            {"Ofredande": .4, "Rån mot person": .2, "Olaga hot": .2, "Misshandel, utomhus": .2},
            "evening", 1.5),
    Hotspot("Stadsparken", 300,
            {"Narkotikabrott, innehav": .35, "Misshandel, utomhus": .2, "Ordningsstörning": .25,
             "Ofredande": .2}, "night", 2.0),
    Hotspot("Hässleholmens centrum", 300,
            {"Butiksstöld/snatteri": .3, "Stöld": .2, "Ordningsstörning": .2,
             "Skadegörelse": .15, "Olaga hot": .15}, "hub", 1.5),
)


@dataclass(frozen=True)
class Event:
    """A spike on a critical date: window start hour, length, volume, crime mix, where."""

    date: str
    start_hour: int
    hours: float
    peak: float  # hours after start when it is busiest
    count: int
    mix: dict[str, float]
    where: dict[str, float]  # place name, district name or "*" (population-weighted) → weight


_VALBORG_MIX: Final = {"Misshandel, utomhus": .3, "Ordningsstörning": .35, "Skadegörelse": .15,
                       "Ofredande": .1, "Olaga hot": .1}
_SCHOOL_END_MIX: Final = {"Ordningsstörning": .35, "Misshandel, utomhus": .25,
                          "Skadegörelse": .2, "Narkotikabrott, innehav": .2}
_MIDSUMMER_MIX: Final = {"Misshandel, utomhus": .25, "Misshandel, inomhus": .2,
                         "Ordningsstörning": .25, "Rattfylleri": .15, DOMESTIC: .15}
_HALLOWEEN_MIX: Final = {"Skadegörelse": .4, "Skadegörelse genom klotter": .15,
                         "Ordningsstörning": .25, "Ofredande": .1, "Olaga hot": .1}
_NEW_YEAR_MIX: Final = {"Skadegörelse": .3, "Ordningsstörning": .25, "Misshandel, utomhus": .25,
                        "Olaga hot": .1, DOMESTIC: .1}

EVENTS: Final = tuple(
    [Event(d, 18, 8, 4, 55, _VALBORG_MIX,
           {"Stadsparken": .4, "Stora torget": .3, "Centrum": .3})
     for d in ("2025-04-30", "2026-04-30")]
    + [Event(d, 16, 10, 5, 35, _SCHOOL_END_MIX,
             {"Stadsparken": .4, "Stora torget": .3, "Hässleholmens skolgård": .3})
       for d in ("2025-06-12", "2026-06-11")]
    + [Event(d, 16, 11, 6, 35, _MIDSUMMER_MIX, {"*": .8, "Stadsparken": .2})
       for d in ("2025-06-20", "2026-06-19")]
    + [Event(d, 17, 7, 3, 40, _HALLOWEEN_MIX, {"*": .7, "Hässleholmens skolgård": .3})
       for d in ("2025-10-31", "2026-10-31")]
    + [Event(d, 20, 9, 4, 80, _NEW_YEAR_MIX, {"Stora torget": .35, "Centrum": .25, "*": .4})
       for d in ("2024-12-31", "2025-12-31")]
)


def _sample_times(
    rng: np.random.Generator, n: int, hours: str, season: str, weekend_night: float,
    weekend_day: float = 1.0,
) -> np.ndarray:
    """Minutes since the period start drawn from a named hour profile and season."""
    return sample_times(rng, n, HOUR_PROFILES[hours], SEASONS[season], weekend_night,
                        weekend_day)


def _mix_types(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    names = list(mix)
    return np.array(names, dtype=object)[weighted_choice(rng, [mix[k] for k in names], n)]


def _background_weights(geo: Geography, factors: dict[str, float]) -> np.ndarray:
    weights = geo.populations.copy()
    for name, factor in factors.items():
        weights[district_index(name)] *= factor
    return weights


def _sample_where(
    rng: np.random.Generator, geo: Geography, where: dict[str, float], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Points for an event: on places, in a district, or population-weighted ("*")."""
    keys = list(where)
    pick = weighted_choice(rng, [where[k] for k in keys], n)
    x = np.zeros(n)
    y = np.zeros(n)
    for i, key in enumerate(keys):
        rows = np.flatnonzero(pick == i)
        if key in geo.places:
            px, py = sample_near_place(rng, geo, key, rows.size, spread=1.5)
        else:
            w = geo.populations if key == "*" else np.eye(len(DISTRICT_SPECS))[district_index(key)]
            px, py, _ = sample_in_districts(rng, geo, w, rows.size)
        x[rows] = px
        y[rows] = py
    return x, y


def _build_rows(rng: np.random.Generator, geo: Geography) -> pd.DataFrame:
    """All incidents (background, hotspots, events) before formatting, in generation order."""
    parts: list[pd.DataFrame] = []
    for ct in CRIME_TYPES:
        start = _sample_times(rng, ct.count, ct.hours, ct.season, ct.weekend_night, ct.weekend_day)
        x, y, _ = sample_in_districts(rng, geo, _background_weights(geo, ct.district_factor),
                                      ct.count)
        parts.append(pd.DataFrame({"type": ct.name, "start": start, "x": x, "y": y}))
    for hs in HOTSPOTS:
        start = _sample_times(rng, hs.count, hs.hours, "mild", hs.weekend_night, 1.2)
        x, y = sample_near_place(rng, geo, hs.place, hs.count)
        parts.append(pd.DataFrame({"type": _mix_types(rng, hs.mix, hs.count),
                                   "start": start, "x": x, "y": y}))
    for ev in EVENTS:
        offset_h = rng.triangular(0.0, ev.peak, ev.hours, ev.count)
        start = (day_index(ev.date) * MINUTES_PER_DAY + ev.start_hour * 60
                 + np.floor(offset_h * 60).astype(np.int64))
        x, y = _sample_where(rng, geo, ev.where, ev.count)
        parts.append(pd.DataFrame({"type": _mix_types(rng, ev.mix, ev.count),
                                   "start": round_minutes(rng, start), "x": x, "y": y}))
    frame = pd.concat(parts, ignore_index=True)
    frame["start"] = frame["start"].clip(0, LAST_MINUTE).astype(np.int64)
    return frame


def _spans(rng: np.random.Generator, types: np.ndarray) -> np.ndarray:
    """Length in minutes of the from–to span per row, -1 where Till is empty."""
    out = np.full(types.size, -1, dtype=np.int64)
    u = rng.random(types.size)
    v = rng.random(types.size)
    for ct in CRIME_TYPES:
        rows = (types == ct.name) & (u < ct.span_share)
        lo, hi = np.log(ct.span_hours[0] * 60), np.log(ct.span_hours[1] * 60)
        out[rows] = np.exp(lo + (hi - lo) * v[rows]).astype(np.int64)
    return out


def _notes(rng: np.random.Generator, types: np.ndarray) -> list[str]:
    """Short anonymised notes on about one row in six; the rest empty."""
    fill = rng.random(types.size) < 0.16
    pick = rng.integers(0, 1000, types.size)
    out: list[str] = []
    for t, f, p in zip(types, fill, pick, strict=True):
        notes = TYPE_BY_NAME[t].notes
        out.append(notes[p % len(notes)] if f and notes else "")
    return out


def _event_numbers(rng: np.random.Generator, years: np.ndarray) -> list[str]:
    """Händelsenummer 5000-K<6 digits>-<yy>, increasing within each year (other towns in between)."""
    out = [""] * years.size
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        seq = rng.integers(8000, 30000) + np.cumsum(rng.integers(1, 30, rows.size))
        for r, s in zip(rows, seq, strict=True):
            out[r] = f"5000-K{s:06d}-{year % 100:02d}"
    return out


def write_police(rng: np.random.Generator, geo: Geography, path: Path) -> int:
    """Generate and write sample_incidents/polisen_export.csv; return its row count."""
    frame = _build_rows(rng, geo)
    frame = frame.sort_values("start", kind="stable").reset_index(drop=True)
    types = frame["type"].to_numpy(dtype=object)
    n = types.size
    start = frame["start"].to_numpy(dtype=np.int64)
    span = _spans(rng, types)
    end = np.where(span >= 0, start + span, -1)
    end = np.where(end >= 0, (end // 5) * 5, -1)
    end = np.where((end >= 0) & (end <= start), start + 5, end)

    x = frame["x"].to_numpy()
    y = frame["y"].to_numpy()
    district = geo.district_of(x, y)
    if (district < 0).any():
        raise RuntimeError("an incident fell outside the town")
    area_only = (types == DOMESTIC) | (rng.random(n) < NO_POINT_SHARE)
    # Generalised to 10 m; points keep INSET_M (> 7.1 m) from borders, so they stay inside.
    north = (np.rint(y / 10) * 10).astype(np.int64)
    east = (np.rint(x / 10) * 10).astype(np.int64)

    notes = _notes(rng, types)
    candidates = {name: np.flatnonzero((types == name) & ~area_only) for name, _ in
                  FAKE_PERSONAL_DATA}
    for name, text in FAKE_PERSONAL_DATA:
        notes[int(rng.choice(candidates[name]))] = text

    from_ts = format_minutes(start, "%Y-%m-%d %H:%M")
    till_ts = format_minutes(np.where(end >= 0, end, 0), "%Y-%m-%d %H:%M")
    years = np.array([int(s[:4]) for s in from_ts])
    numbers = _event_numbers(rng, years)
    rows = []
    for i in range(n):
        has_till = end[i] >= 0
        rows.append((
            numbers[i], str(types[i]), from_ts[i][:10], from_ts[i][11:],
            till_ts[i][:10] if has_till else "", till_ts[i][11:] if has_till else "",
            "" if area_only[i] else str(north[i]), "" if area_only[i] else str(east[i]),
            DISTRICT_SPECS[district[i]].code if area_only[i] else "", notes[i],
        ))
    return write_csv(path, HEADER, rows, delimiter=";", newline="\r\n", encoding="utf-8",
                     bom=True)
