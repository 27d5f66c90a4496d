"""Emerging hot spots: space-time Getis-Ord Gi* per cell and time step, the Mann-Kendall trend of
each cell's z series, and Esri's pattern categories (new, consecutive, intensifying, persistent,
diminishing, sporadic, oscillating, historical; hot and mirrored cold; else none).

The cube: the grid's cells × whole calendar steps (week, month, tertial); empty bins count. A bin's
neighbourhood is its queen neighbours and itself in the same step and the previous step, binary
weights; the mean and the variance come from the whole cube (Getis & Ord 1992, as Esri's tool).
Benjamini–Hochberg over all bins; a bin is a hot (cold) spot when p_fdr < 0.10 and z > 0 (z < 0).
No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from scipy.stats import norm

from workbench.geo.grid import Grid
from workbench.hotspots.gistar import benjamini_hochberg
from workbench.hotspots.mann_kendall import mann_kendall

STEPS = ("week", "month", "tertial")
STEP_LABELS_SV = {"week": "vecka", "month": "månad", "tertial": "tertial"}
DEFAULT_STEPS = {"week": 26, "month": 24, "tertial": 12}  # the span when none is given
MIN_STEPS, RECOMMENDED_STEPS = 4, 10
FEW_EVENTS_PER_STEP = 5  # fewer on average: say the count and that the patterns are uncertain
BIN_ALPHA = 0.10    # a bin is a hot/cold spot at 90 % confidence (FDR-adjusted), as Esri's bins
TREND_ALPHA = 0.05  # a Mann-Kendall trend counts when p < 0.05
MOSTLY = 0.90       # "at least 90 percent of the time steps"

PATTERNS = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
            "oscillating", "historical")
CLASSES = tuple(f"hot_{p}" for p in PATTERNS) + tuple(f"cold_{p}" for p in PATTERNS) + ("none",)
_HOT_SV = {
    "new": ("Ny hot-spot", "signifikant hot-spot i det senaste tidssteget och aldrig tidigare"),
    "consecutive": ("Sammanhängande hot-spot", "en obruten följd av minst två signifikanta "
                    "tidssteg fram till det senaste, aldrig tidigare och i färre än 90 % av stegen"),
    "intensifying": ("Intensifierande hot-spot", "signifikant i minst 90 % av tidsstegen, även det "
                     "senaste, och koncentrationen ökar säkert över tiden"),
    "persistent": ("Ihållande hot-spot", "signifikant i minst 90 % av tidsstegen, även det senaste, "
                   "utan säker trend i styrka"),
    "diminishing": ("Avtagande hot-spot", "signifikant i minst 90 % av tidsstegen, även det senaste, "
                    "men koncentrationen minskar säkert över tiden"),
    "sporadic": ("Sporadisk hot-spot", "signifikant i det senaste tidssteget och tidigare av och "
                 "på, i färre än 90 % av stegen och aldrig som cold-spot"),
    "oscillating": ("Växlande hot-spot", "signifikant hot-spot i det senaste tidssteget men "
                    "signifikant cold-spot i något tidigare steg"),
    "historical": ("Historisk hot-spot", "signifikant i minst 90 % av tidsstegen men inte i det "
                   "senaste"),
}
CLASS_LABELS_SV = {"none": "Inget mönster"}
CLASS_EXPLANATIONS_SV = {"none": "ingen av kategorierna ovan: oftast aldrig signifikant"}
for _key, (_label, _text) in _HOT_SV.items():
    CLASS_LABELS_SV[f"hot_{_key}"] = _label
    CLASS_EXPLANATIONS_SV[f"hot_{_key}"] = _text
    CLASS_LABELS_SV[f"cold_{_key}"] = _label.replace("hot-spot", "cold-spot")
    CLASS_EXPLANATIONS_SV[f"cold_{_key}"] = (
        _text.replace("hot-spot", "§").replace("cold-spot", "hot-spot").replace("§", "cold-spot")
        + " (färre händelser än väntat)")
CLASS_EXPLANATIONS_SV["cold_intensifying"] = (
    "signifikant cold-spot i minst 90 % av tidsstegen, även det senaste, och nivån sjunker säkert "
    "ytterligare över tiden (färre händelser än väntat)")
CLASS_EXPLANATIONS_SV["cold_diminishing"] = (
    "signifikant cold-spot i minst 90 % av tidsstegen, även det senaste, men nivån närmar sig "
    "säkert det vanliga över tiden (färre händelser än väntat)")


class TooFewSteps(ValueError):
    """Fewer than MIN_STEPS whole time steps in the chosen span."""


# --- time steps ------------------------------------------------------------------------------

def _step_start(kind: str, day: date) -> date:
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    return date(day.year, ((day.month - 1) // 4) * 4 + 1, 1)


def _next_start(kind: str, start: date) -> date:
    if kind == "week":
        return start + timedelta(days=7)
    months = 1 if kind == "month" else 4
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def time_steps(kind: str, start: date, end: date) -> list[tuple[date, date]]:
    """The whole calendar steps (first day, last day) inside [start, end]; a step cut by either
    end is left out, so every step has the same exposure.

    >>> time_steps("tertial", date(2025, 2, 1), date(2026, 8, 31))
    [(datetime.date(2025, 5, 1), datetime.date(2025, 8, 31)), (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31)), (datetime.date(2026, 1, 1), datetime.date(2026, 4, 30)), (datetime.date(2026, 5, 1), datetime.date(2026, 8, 31))]
    """
    if kind not in STEPS:
        raise ValueError(f"okänt tidssteg '{kind}' (vecka, månad eller tertial)")
    first = _step_start(kind, start)
    if first < start:
        first = _next_start(kind, first)
    steps = []
    while (following := _next_start(kind, first)) <= end + timedelta(days=1):
        steps.append((first, following - timedelta(days=1)))
        first = following
    return steps


def default_span(kind: str, latest: date, n_steps: int | None = None) -> tuple[date, date]:
    """The ``n_steps`` whole steps ending with the last whole step at or before ``latest``."""
    n_steps = n_steps or DEFAULT_STEPS[kind]
    end_start = _step_start(kind, latest)
    if _next_start(kind, end_start) - timedelta(days=1) > latest:  # latest step still running
        end_start = _step_start(kind, end_start - timedelta(days=1))
    first = end_start
    for _ in range(n_steps - 1):
        first = _step_start(kind, first - timedelta(days=1))
    return first, _next_start(kind, end_start) - timedelta(days=1)


def step_label(kind: str, first: date) -> str:
    """'v. 2026-W05', '2026-02', '2026 T1'."""
    if kind == "week":
        year, week, _ = first.isocalendar()
        return f"{year}-v{week:02d}"
    if kind == "month":
        return f"{first:%Y-%m}"
    return f"{first.year} T{(first.month - 1) // 4 + 1}"


# --- the statistic ---------------------------------------------------------------------------

def _queen_sum(cube: np.ndarray) -> np.ndarray:
    """Sum over each cell's queen neighbourhood (itself included) in every step of (T, R, C)."""
    t, r, c = cube.shape
    padded = np.zeros((t, r + 2, c + 2), dtype=float)
    padded[:, 1:-1, 1:-1] = cube
    out = np.zeros((t, r, c), dtype=float)
    for dr in (0, 1, 2):
        for dc in (0, 1, 2):
            out += padded[:, dr:dr + r, dc:dc + c]
    return out


def space_time_gi_star(cube: np.ndarray, inside: np.ndarray | None = None) -> np.ndarray:
    """z of the space-time Gi* for every bin of a (T, R, C) count cube.

    Neighbourhood of bin (t, i): the queen neighbours of i and i itself in steps t and t − 1
    (only t for the first step), binary weights; x̄ and S over all n = T·R·C bins. For a single
    step this is the ordinary Gi* (esda ``G_Local(transform="B", star=True)``). ``inside`` (R, C)
    limits the cube to the study area: cells outside are neither bins nor neighbours (z = 0).
    """
    x = np.asarray(cube, dtype=float)
    mask = np.ones(x.shape[1:], dtype=bool) if inside is None else np.asarray(inside, dtype=bool)
    x = x * mask
    n = int(mask.sum()) * x.shape[0]
    if n < 2:
        return np.zeros_like(x)
    mean = x.sum() / n
    s = np.sqrt((x * x).sum() / n - mean * mean)
    local = _queen_sum(x)
    weights = _queen_sum(mask[None].astype(float))  # neighbours in the study area, itself included
    weights = np.repeat(weights, x.shape[0], axis=0)
    local[1:] += local[:-1].copy()
    weights[1:] *= 2
    if s == 0:
        return np.zeros_like(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (local - mean * weights) / (s * np.sqrt((n * weights - weights ** 2) / (n - 1)))
    return np.where(np.isfinite(z) & mask, z, 0.0)


def classify_series(hot: np.ndarray, cold: np.ndarray, trend_z: np.ndarray,
                    trend_p: np.ndarray) -> np.ndarray:
    """Esri's categories per location from its (N, T) hot/cold bin flags and the z trend.

    Where the definitions overlap, the reading (README, Hot-spots över tid): the final step decides
    hot or cold first; a location that was the opposite kind of spot before is oscillating even
    when it would otherwise be new, consecutive or sporadic; historical only when the final step
    is neither hot nor cold, and persistent needs the final step (else it is historical).
    """
    n_loc, n_steps = hot.shape
    out = np.full(n_loc, "none", dtype=object)
    rising = (trend_p < TREND_ALPHA) & (trend_z > 0)
    falling = (trend_p < TREND_ALPHA) & (trend_z < 0)
    for kind, own, other, up, down in (("hot", hot, cold, rising, falling),
                                       ("cold", cold, hot, falling, rising)):
        final = own[:, -1]
        n_own = own.sum(axis=1)
        mostly = n_own >= MOSTLY * n_steps
        before = own[:, :-1]
        # length of the run of own bins that ends with the final step
        not_own_rev = ~own[:, ::-1]
        run = np.where(not_own_rev.any(axis=1), not_own_rev.argmax(axis=1), n_steps)
        only_run = n_own == run
        prior_other = other[:, :-1].any(axis=1)
        rules = [
            (final & mostly & up, "intensifying"),
            (final & mostly & down, "diminishing"),
            (final & mostly, "persistent"),
            (final & ~mostly & prior_other, "oscillating"),
            (final & ~before.any(axis=1), "new"),
            (final & ~mostly & only_run & (run >= 2), "consecutive"),
            (final & ~mostly, "sporadic"),
        ]
        for hit, name in rules:
            out[(out == "none") & hit] = f"{kind}_{name}"
    for kind, own in (("hot", hot), ("cold", cold)):
        historical = ~hot[:, -1] & ~cold[:, -1] & (own.sum(axis=1) >= MOSTLY * n_steps)
        out[(out == "none") & historical] = f"{kind}_historical"
    return out


@dataclass(frozen=True)
class EmergingResult:
    """Per cell (index = cell id of ``grid``): counts and z per step, the trend and the class."""

    grid: Grid
    step: str
    steps: list[tuple[date, date]]
    counts: np.ndarray   # (T, N)
    z: np.ndarray        # (T, N)
    p_fdr: np.ndarray    # (T, N)
    trend_z: np.ndarray  # (N,)
    trend_p: np.ndarray  # (N,)
    emerging_class: np.ndarray  # (N,)

    @property
    def labels(self) -> list[str]:
        return [step_label(self.step, first) for first, _ in self.steps]

    @property
    def n_events(self) -> int:
        return int(self.counts.sum())

    def frame(self) -> pd.DataFrame:
        """One row per cell: cell_id, row, col, emerging_class, trend_z, trend_p, total, and the
        count of every step in a column named after it."""
        ids = np.arange(self.grid.n_cells)
        row, col = np.divmod(ids, self.grid.n_cols)
        columns = {"cell_id": ids, "row": row, "col": col, "emerging_class": self.emerging_class,
                   "trend_z": self.trend_z.round(4), "trend_p": self.trend_p.round(6),
                   "total": self.counts.sum(axis=0)}
        for label, counts in zip(self.labels, self.counts, strict=True):
            columns[label] = counts
        return pd.DataFrame(columns)

    def warnings_sv(self) -> list[str]:
        """Why the patterns may not carry a conclusion (empty when nothing limits them)."""
        return warnings_for(self.n_events, len(self.steps))

    def summary(self) -> dict[str, int]:
        """Cells per class (classes with none left out)."""
        values, counts = np.unique(self.emerging_class.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True) if v != "none"}


def check_steps(step: str, steps: list[tuple[date, date]]) -> None:
    if len(steps) < MIN_STEPS:
        raise TooFewSteps(
            f"Perioden rymmer {len(steps)} hela tidssteg ({STEP_LABELS_SV[step]}); analysen behöver "
            f"minst {MIN_STEPS} och bör ha {RECOMMENDED_STEPS} eller fler. Välj en längre period "
            "eller ett kortare tidssteg.")


def step_index(times: pd.Series | np.ndarray, steps: list[tuple[date, date]]) -> np.ndarray:
    """The step of each time (−1 or len(steps) outside the span)."""
    edges = np.array([datetime.combine(first, time()) for first, _ in steps]
                     + [datetime.combine(steps[-1][1] + timedelta(days=1), time())],
                     dtype="datetime64[ns]")
    t = np.asarray(pd.to_datetime(times), dtype="datetime64[ns]")
    return np.searchsorted(edges, t, side="right") - 1


def patterns(z: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(p_fdr, trend z, trend p, class) from the (T, N) z of the bins; BH over the bins in mask."""
    p = np.where(mask, 2.0 * norm.sf(np.abs(z)), np.nan)  # BH over the study area's bins only
    p_fdr = benjamini_hochberg(p.ravel()).reshape(p.shape)
    significant = p_fdr < BIN_ALPHA
    trend = mann_kendall(np.round(z.T, 8))  # rounding: equal z from equal sums tie exactly
    classes = classify_series((significant & (z > 0)).T, (significant & (z < 0)).T,
                              trend.z, trend.p)
    return p_fdr, trend.z, trend.p, classes


def warnings_for(n_events: int, steps: int) -> list[str]:
    """Why the patterns may not carry a conclusion (empty when nothing limits them)."""
    out = []
    if steps < RECOMMENDED_STEPS:
        out.append(f"Bara {steps} tidssteg: trenden och mönstren är osäkra – "
                   f"{RECOMMENDED_STEPS} eller fler rekommenderas.")
    if n_events < FEW_EVENTS_PER_STEP * steps:
        out.append(f"Bara {n_events} händelser på {steps} tidssteg: för få för säkra "
                   "mönster, resultatet är osäkert.")
    return out


def emerging_hotspots(x: np.ndarray, y: np.ndarray, times: pd.Series | np.ndarray, grid: Grid,
                      step: str, steps: list[tuple[date, date]],
                      inside: np.ndarray | None = None) -> EmergingResult:
    """The emerging hot-spot analysis of points (EPSG:3006) with times over the given steps.
    ``inside`` (flat, per cell) is the study area; cells outside it get no statistic (class none)."""
    check_steps(step, steps)
    index = step_index(times, steps)
    cells = grid.cell_ids(x, y)
    keep = (index >= 0) & (index < len(steps)) & (cells >= 0)
    n_steps, n_cells = len(steps), grid.n_cells
    flat = np.bincount(index[keep] * n_cells + cells[keep], minlength=n_steps * n_cells)
    return emerging_from_counts(flat.reshape(n_steps, n_cells), grid, step, steps, inside)


def emerging_from_counts(counts: np.ndarray, grid: Grid, step: str, steps: list[tuple[date, date]],
                         inside: np.ndarray | None = None) -> EmergingResult:
    """``emerging_hotspots`` of a (T, N) count cube already made (e.g. grouped in the database)."""
    check_steps(step, steps)
    n_steps, n_cells = len(steps), grid.n_cells
    mask = np.ones(n_cells, dtype=bool) if inside is None else np.asarray(inside, dtype=bool)
    counts = np.asarray(counts).reshape(n_steps, n_cells) * mask
    z = space_time_gi_star(counts.reshape(n_steps, grid.n_rows, grid.n_cols),
                           mask.reshape(grid.n_rows, grid.n_cols)).reshape(n_steps, n_cells)
    p_fdr, trend_z, trend_p, classes = patterns(z, np.broadcast_to(mask, z.shape))
    return EmergingResult(grid, step, list(steps), counts, z, p_fdr, trend_z, trend_p, classes)
