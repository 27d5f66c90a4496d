"""Near-repeat: the Knox test over distance bands × time bands with Monte Carlo permutations of the
dates (as Ratcliffe's Near Repeat Calculator).

Every unordered pair of events falls in one distance band and one time band; bands are half-open
[from, to), the last of each open (to = None). Distances in metres (EPSG:3006), time differences in
whole calendar days. Expected counts are exact under the null of no space-time interaction:
E = (pairs in the distance band) × (pairs in the time band) / (all pairs) — permuting the dates
does not change either margin. The p-value per cell is one-sided (more pairs than chance):
(1 + permutations with at least the observed count) / (permutations + 1). A pattern is only
read out where the Benjamini–Hochberg-adjusted p over the table's cells is under 5 %.

Fast: only pairs closer than the last finite distance edge are formed (KD-tree); the open
distance band is the time band's total minus the finite bands. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from workbench import numbers as nf

DEFAULT_DISTANCE_BANDS = (0, 100, 200, 400)
DEFAULT_TIME_BANDS = (0, 7, 14, 30)
DEFAULT_PERMUTATIONS = 999
MIN_EVENTS = 20       # fewer: no table, one sentence
FEW_PAIRS = 5         # a cell with fewer observed pairs is uncertain whatever its p
FEW_CLOSE_PAIRS = 10  # fewer pairs close in both time and space: no reading at all
SIGNIFICANCE = 0.05
MAX_EVENTS = 50_000   # beyond this the pair count gets out of hand for an interactive tool


class NearRepeatError(ValueError):
    """Bands or data that cannot carry a Knox table (the message is Swedish)."""


def check_edges(edges, unit: str) -> tuple[float, ...]:
    """Strictly increasing, non-negative, starting at 0."""
    values = tuple(float(e) for e in edges)
    if len(values) < 2:
        raise NearRepeatError(f"Ange minst två gränser för {unit}, t.ex. 0,100.")
    if values[0] != 0:
        raise NearRepeatError(f"Första gränsen för {unit} ska vara 0, fick {values[0]:g}.")
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise NearRepeatError(f"Gränserna för {unit} ska öka, fick {', '.join(f'{v:g}' for v in values)}.")
    return values


def _num(value: float) -> str:
    return nf.integer(value)


def distance_label(lower: float, upper: float | None) -> str:
    """'0 till under 100 m', '400 m eller mer' – the half-open band exactly."""
    return f"{_num(lower)} m eller mer" if upper is None else f"{_num(lower)} till under {_num(upper)} m"


def time_label(lower: float, upper: float | None) -> str:
    """Whole days, so [0, 7) is exactly '0–6 dagar'; [30, ∞) is '30 dagar eller mer'."""
    if upper is None:
        return f"{int(lower)} dagar eller mer"
    first, last = int(lower), int(np.ceil(upper)) - 1
    return f"{first} dag" if first == last == 1 else (
        f"{first} dagar" if first == last else f"{first}–{last} dagar")


def sv_number(value: float, decimals: int = 1) -> str:
    return nf.decimal(value, decimals)


def sv_p(p: float) -> str:
    """'p < 0,001', 'p = 0,002', 'p = 0,43'."""
    return nf.p_value(p)


def _time_totals(days: np.ndarray, t_edges: tuple[float, ...]) -> np.ndarray:
    """Pairs per time band over all pairs (invariant under permutation of the dates)."""
    t = np.sort(days)
    n = t.size
    below = []  # pairs with difference < edge, for every finite edge after 0
    for edge in t_edges[1:]:
        # for each i, the j > i with t[j] − t[i] < edge
        below.append(int((np.searchsorted(t, t + edge, side="left") - np.arange(n) - 1).sum()))
    total = n * (n - 1) // 2
    cumulative = [0] + below + [total]
    return np.diff(np.array(cumulative, dtype=np.int64))


@dataclass(frozen=True)
class KnoxTable:
    """Observed and expected pairs per (distance band, time band), ratio and p."""

    distance_edges: tuple[float, ...]
    time_edges: tuple[float, ...]
    observed: np.ndarray  # (D, T) with the open bands last
    expected: np.ndarray
    p: np.ndarray
    permutations: int
    n_events: int

    @property
    def ratio(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    def bands(self) -> tuple[list[tuple[float, float | None]], list[tuple[float, float | None]]]:
        d = list(zip(self.distance_edges, [*self.distance_edges[1:], None], strict=True))
        t = list(zip(self.time_edges, [*self.time_edges[1:], None], strict=True))
        return d, t

    def cells(self) -> list[dict]:
        """The CLI's JSON cells: distance_from/to (m), time_from/to (days), observed, expected,
        ratio, p; ``None`` for an open end."""
        d_bands, t_bands = self.bands()
        out = []
        ratio = self.ratio
        for i, (d0, d1) in enumerate(d_bands):
            for j, (t0, t1) in enumerate(t_bands):
                out.append({"distance_from": d0, "distance_to": d1, "time_from": t0, "time_to": t1,
                            "observed": int(self.observed[i, j]),
                            "expected": round(float(self.expected[i, j]), 3),
                            "ratio": None if np.isnan(ratio[i, j]) else round(float(ratio[i, j]), 3),
                            "p": round(float(self.p[i, j]), 4)})
        return out

    def frame_sv(self) -> pd.DataFrame:
        """The table in Swedish (rows = distance, one row per cell), for a page, report or export."""
        rows = []
        for cell in self.cells():
            rows.append({"Avstånd": distance_label(cell["distance_from"], cell["distance_to"]),
                         "Tid": time_label(cell["time_from"], cell["time_to"]),
                         "Observerade par": cell["observed"],
                         "Förväntade par": cell["expected"], "Kvot": cell["ratio"], "p": cell["p"]})
        return pd.DataFrame(rows)

    def significant(self) -> list[dict]:
        """Cells with more pairs than chance and enough pairs to say so. The table has many cells,
        so a cell counts when its Benjamini–Hochberg-adjusted p is under 5 % (one cell in twenty
        would otherwise be 'significant' by chance); the readout still shows each cell's own p."""
        from workbench.hotspots.gistar import benjamini_hochberg

        cells = self.cells()
        adjusted = benjamini_hochberg(np.array([c["p"] for c in cells]))
        return [c for c, q in zip(cells, adjusted, strict=True)
                if q < SIGNIFICANCE and c["ratio"] is not None and c["ratio"] > 1
                and c["observed"] >= FEW_PAIRS]

    def readout_sv(self) -> list[str]:
        """One Swedish sentence per significant cell, the closest first."""
        lines = []
        for c in self.significant():
            lines.append(f"Inom {distance_label(c['distance_from'], c['distance_to'])} och "
                         f"{time_label(c['time_from'], c['time_to'])}: {sv_number(c['ratio'])} gånger "
                         f"fler par än slumpen, {sv_p(c['p'])}.")
        return lines

    @property
    def close_pairs(self) -> int:
        """Pairs in the finite distance and time bands (where a near-repeat pattern would show)."""
        return int(self.observed[:-1, :-1].sum())

    def verdict_sv(self) -> str:
        """What the table carries, honestly."""
        n = _num(self.n_events)
        if self.close_pairs < FEW_CLOSE_PAIRS:
            return (f"{n} händelser men bara {self.close_pairs} par nära i både tid och rum "
                    f"(under {_num(self.distance_edges[-1])} m och {int(self.time_edges[-1])} dagar): "
                    "för få för att säga något om near-repeat – resultatet är mycket osäkert. "
                    "Välj en längre period.")
        if not self.significant():
            return (f"{n} händelser: inget säkert near-repeat-mönster – par nära i tid och rum är "
                    "inte fler än slumpen ger (Knox-test med "
                    f"{_num(self.permutations)} permutationer av datumen).")
        near = self.significant()[0]
        return (f"{n} händelser: near-repeat-mönster. Efter en händelse är fler händelser än "
                f"slumpen ger inom {distance_label(near['distance_from'], near['distance_to'])} och "
                f"{time_label(near['time_from'], near['time_to'])} (Knox-test med "
                f"{_num(self.permutations)} permutationer av datumen).")


def knox_table(x: np.ndarray, y: np.ndarray, days: np.ndarray, distance_edges=DEFAULT_DISTANCE_BANDS,
               time_edges=DEFAULT_TIME_BANDS, permutations: int = DEFAULT_PERMUTATIONS,
               seed: int | None = 0) -> KnoxTable:
    """The Knox table of events at (x, y) on whole ``days`` (integers, e.g. days since 1970)."""
    d_edges = check_edges(distance_edges, "avstånd")
    t_edges = check_edges(time_edges, "tid")
    x, y = np.asarray(x, float), np.asarray(y, float)
    days = np.asarray(days, dtype=np.int64)
    n = x.size
    if n < MIN_EVENTS:
        raise NearRepeatError(f"{n} händelser med exakt punkt och datum räcker inte för ett "
                              f"near-repeat-test; det behövs minst {MIN_EVENTS}.")
    if n > MAX_EVENTS:
        raise NearRepeatError(f"{_num(n)} händelser är för många för ett near-repeat-test här "
                              f"(högst {_num(MAX_EVENTS)}); välj en kortare period eller en kategori.")
    if not 0 <= permutations <= 9999:
        raise NearRepeatError("Antalet permutationer ska vara 0–9999.")
    n_d, n_t = len(d_edges), len(t_edges)
    reach = d_edges[-1]
    tree = cKDTree(np.column_stack([x, y]))
    pairs = tree.query_pairs(r=reach, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    dist = np.hypot(x[i] - x[j], y[i] - y[j])
    keep = dist < reach  # half-open: a pair exactly at the last finite edge is in the open band
    i, j, dist = i[keep], j[keep], dist[keep]
    d_band = np.searchsorted(np.array(d_edges), dist, side="right") - 1  # 0 … n_d − 2
    order = np.argsort(d_band, kind="stable")  # pairs grouped by distance band: slices, no scatter
    i, j = i[order].astype(np.int32), j[order].astype(np.int32)
    bounds = np.searchsorted(d_band[order], np.arange(n_d))
    limits = [int(np.ceil(e)) for e in t_edges[1:]]  # whole days: Δ < e ⇔ Δ < ⌈e⌉
    small = np.int16 if int(days.max() - days.min()) < 2 ** 15 else np.int32
    relative = (days - days.min()).astype(small)

    def finite_table(dates: np.ndarray) -> np.ndarray:
        """Pairs per finite distance band × time band for one assignment of the dates."""
        diff = np.abs(dates[i] - dates[j])
        table = np.zeros((n_d - 1, n_t), dtype=np.int64)
        for band in range(n_d - 1):
            part = diff[bounds[band]:bounds[band + 1]]
            below = [0] + [int(np.count_nonzero(part < limit)) for limit in limits] + [part.size]
            table[band] = np.diff(below)
        return table

    time_totals = _time_totals(days, t_edges)
    total_pairs = n * (n - 1) // 2

    def full(finite: np.ndarray) -> np.ndarray:
        return np.vstack([finite, time_totals - finite.sum(axis=0)])

    observed = full(finite_table(relative))
    distance_totals = observed.sum(axis=1)
    expected = np.outer(distance_totals, time_totals) / total_pairs
    at_least = np.zeros_like(observed)
    rng = np.random.default_rng(seed)
    for _ in range(permutations):
        at_least += full(finite_table(rng.permutation(relative))) >= observed
    p = (1 + at_least) / (permutations + 1)
    return KnoxTable(d_edges, t_edges, observed, expected, p, permutations, n)
