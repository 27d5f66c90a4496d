"""Square grids in EPSG:3006: cell of each point by floor division, counts by ``np.bincount``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from workbench import numbers as nf
from workbench.config import Settings
from workbench.errors import WorkbenchError


class GridTooLargeError(WorkbenchError, ValueError):
    """The grid over the study area would have more cells than the configured maximum."""


@dataclass(frozen=True)
class Grid:
    """``n_rows`` × ``n_cols`` cells of ``cell`` metres; row 0 / col 0 is the south-west corner."""

    x0: float
    y0: float
    cell: float
    n_rows: int
    n_cols: int

    @property
    def n_cells(self) -> int:
        return self.n_rows * self.n_cols

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, col, inside) of each point; points outside the grid or NaN have inside False."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        with np.errstate(invalid="ignore"):
            col = np.floor((x - self.x0) / self.cell)
            row = np.floor((y - self.y0) / self.cell)
            inside = (col >= 0) & (col < self.n_cols) & (row >= 0) & (row < self.n_rows)
        return (np.where(inside, row, 0).astype(np.int64), np.where(inside, col, 0).astype(np.int64),
                inside)

    def cell_ids(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cell id (row * n_cols + col) of each point, -1 outside."""
        row, col, inside = self.locate(x, y)
        return np.where(inside, row * self.n_cols + col, -1)

    def counts(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Points per cell as an (n_rows, n_cols) array, zero cells included.

        >>> g = Grid(0, 0, 10, 2, 3)
        >>> g.counts(np.array([1, 5, 25, 15, 99]), np.array([1, 2, 15, 3, 99])).tolist()
        [[2, 1, 0], [0, 0, 1]]
        """
        ids = self.cell_ids(x, y)
        ids = ids[ids >= 0]
        return np.bincount(ids, minlength=self.n_cells).reshape(self.n_rows, self.n_cols)

    def boxes(self, ids: np.ndarray) -> np.ndarray:
        """Cell polygons (EPSG:3006) of the given cell ids."""
        ids = np.asarray(ids, dtype=np.int64)
        row, col = np.divmod(ids, self.n_cols)
        minx = self.x0 + col * self.cell
        miny = self.y0 + row * self.cell
        return shapely.box(minx, miny, minx + self.cell, miny + self.cell)

    def centres(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        row, col = np.divmod(np.asarray(ids, dtype=np.int64), self.n_cols)
        return self.x0 + (col + 0.5) * self.cell, self.y0 + (row + 0.5) * self.cell


def grid_over(bounds: tuple[float, float, float, float], cell: float, *,
              max_cells: int | None = None) -> Grid:
    """A grid covering ``bounds`` (minx, miny, maxx, maxy), snapped to whole multiples of ``cell``.

    A grid of more than ``max_cells`` cells (default: the setting WORKBENCH_MAX_GRID_CELLS) is
    refused with a :class:`GridTooLargeError` before any array is allocated (an area far outside
    the kommun once made 108 million cells). Every caller is capped: hot-spots, hot-spots över
    tid, near-repeat zones.

    >>> grid_over((377010, 6399020, 377990, 6399400), 250)
    Grid(x0=377000.0, y0=6399000.0, cell=250, n_rows=2, n_cols=4)
    """
    if cell <= 0:
        raise ValueError("cellstorleken måste vara positiv")
    minx, miny, maxx, maxy = bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        raise ValueError("studieområdets gränser saknar giltiga koordinater")
    x0 = np.floor(minx / cell) * cell
    y0 = np.floor(miny / cell) * cell
    n_cols = max(1, int(np.floor((maxx - x0) / cell)) + 1)
    n_rows = max(1, int(np.floor((maxy - y0) / cell)) + 1)
    if max_cells is None:
        max_cells = Settings.load().max_grid_cells
    if n_cols * n_rows > max_cells:
        width, height = (maxx - minx) / 1000, (maxy - miny) / 1000
        raise GridTooLargeError(
            f"rutnätet över studieområdet ({_sv(width)} × {_sv(height)} km) skulle få "
            f"{_sv(n_cols * n_rows)} rutor à {_sv(cell)} m, fler än gränsen {_sv(max_cells)} "
            "(inställningen WORKBENCH_MAX_GRID_CELLS) – välj större rutor, eller kontrollera "
            "att organisationens områden inte ligger utanför kommunen")
    return Grid(float(x0), float(y0), cell, n_rows, n_cols)


def _sv(value: float) -> str:
    """A whole number the Swedish way: 108 000 000."""
    return nf.integer(value)
