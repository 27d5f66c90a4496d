"""Emerging hot spots with areas (districts) as the bins instead of grid cells.

A bin's neighbourhood is the area itself and the areas sharing a border or corner with it (queen
contiguity), in the same and the previous step; binary weights; moments of the whole cube. The
same trend and categories as for cells (hotspots/emerging.py). Every event with an area counts,
including those known only by their area (area-level figures reveal nothing finer). No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import scipy.sparse as sp

from workbench.geo.crs import SWEREF99TM
from workbench.hotspots.emerging import check_steps, patterns, step_index, step_label, warnings_for

FEW_AREAS = 30  # fewer: Gi* over areas has little power (each neighbourhood is much of the kommun)


def contiguity(geometries) -> sp.csr_matrix:
    """Queen contiguity of polygons with each polygon its own neighbour (the Gi* self-weight)."""
    import geopandas as gpd
    from libpysal.graph import Graph

    frame = gpd.GeoDataFrame(geometry=list(geometries), crs=SWEREF99TM)
    n = len(frame)
    if n == 1:
        return sp.identity(1, format="csr")
    graph = Graph.build_contiguity(frame, rook=False)
    matrix = graph.sparse.tocsr()
    matrix = (matrix > 0).astype(float)
    return (matrix + sp.identity(n, format="csr")).minimum(1).tocsr()


def space_time_gi_star_graph(counts: np.ndarray, neighbours: sp.csr_matrix) -> np.ndarray:
    """z of the space-time Gi* for (T, N) counts and an (N, N) 0/1 matrix with the diagonal set."""
    x = np.asarray(counts, dtype=float)
    n = x.size
    if n < 2:
        return np.zeros_like(x)
    mean = x.mean()
    s = np.sqrt((x * x).mean() - mean * mean)
    local = np.asarray(neighbours @ x.T).T  # (T, N)
    weights = np.repeat(np.asarray(neighbours.sum(axis=1)).ravel()[None], x.shape[0], axis=0)
    local[1:] += local[:-1].copy()
    weights[1:] *= 2
    if s == 0:
        return np.zeros_like(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (local - mean * weights) / (s * np.sqrt((n * weights - weights ** 2) / (n - 1)))
    return np.where(np.isfinite(z), z, 0.0)


@dataclass(frozen=True)
class AreaEmergingResult:
    area_ids: np.ndarray
    names: list[str]
    step: str
    steps: list[tuple[date, date]]
    counts: np.ndarray
    z: np.ndarray
    p_fdr: np.ndarray
    trend_z: np.ndarray
    trend_p: np.ndarray
    emerging_class: np.ndarray

    @property
    def labels(self) -> list[str]:
        return [step_label(self.step, first) for first, _ in self.steps]

    @property
    def n_events(self) -> int:
        return int(self.counts.sum())

    def warnings_sv(self) -> list[str]:
        out = warnings_for(self.n_events, len(self.steps))
        if len(self.area_ids) < FEW_AREAS:
            out.append(f"Bara {len(self.area_ids)} områden: varje områdes grannskap täcker en stor "
                       "del av kommunen, så analysen hittar bara tydliga mönster – rutor ger en "
                       "skarpare bild.")
        return out

    def summary(self) -> dict[str, int]:
        values, counts = np.unique(self.emerging_class.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True) if v != "none"}

    def frame(self) -> pd.DataFrame:
        """One row per area: area_id, area, emerging_class, trend_z, trend_p, total, per step."""
        columns = {"area_id": self.area_ids, "area": self.names, "emerging_class": self.emerging_class,
                   "trend_z": self.trend_z.round(4), "trend_p": self.trend_p.round(6),
                   "total": self.counts.sum(axis=0)}
        for label, counts in zip(self.labels, self.counts, strict=True):
            columns[label] = counts
        return pd.DataFrame(columns)


def emerging_areas(event_area_ids: np.ndarray, times, area_ids: np.ndarray, names: list[str],
                   neighbours: sp.csr_matrix, step: str,
                   steps: list[tuple[date, date]]) -> AreaEmergingResult:
    """The analysis with the areas ``area_ids`` (in the order of ``neighbours``) as bins."""
    check_steps(step, steps)
    index = step_index(times, steps)
    position = pd.Series(np.arange(len(area_ids)), index=np.asarray(area_ids, dtype=np.int64))
    area_index = pd.Series(event_area_ids, dtype="Int64").map(position).fillna(-1).to_numpy(np.int64)
    keep = (index >= 0) & (index < len(steps)) & (area_index >= 0)
    n_steps, n_areas = len(steps), len(area_ids)
    counts = np.bincount(index[keep] * n_areas + area_index[keep],
                         minlength=n_steps * n_areas).reshape(n_steps, n_areas)
    return emerging_areas_from_counts(counts, area_ids, names, neighbours, step, steps)


def emerging_areas_from_counts(counts: np.ndarray, area_ids: np.ndarray, names: list[str],
                               neighbours: sp.csr_matrix, step: str,
                               steps: list[tuple[date, date]]) -> AreaEmergingResult:
    """``emerging_areas`` of a (T, areas) count cube already made (e.g. grouped in the database)."""
    check_steps(step, steps)
    z = space_time_gi_star_graph(counts, neighbours)
    p_fdr, trend_z, trend_p, classes = patterns(z, np.ones(z.shape, dtype=bool))
    return AreaEmergingResult(np.asarray(area_ids), list(names), step, list(steps), counts, z, p_fdr,
                              trend_z, trend_p, classes)
