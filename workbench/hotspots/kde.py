"""Kernel density for the heat layer: a fine count grid smoothed with a Gaussian kernel.

Binning the points and convolving with a Gaussian (``scipy.ndimage.gaussian_filter``) equals a
Gaussian kernel density estimate up to the bin size; it costs the same at any number of points.
``bandwidth_m`` is the kernel's standard deviation in metres. Density is events per km².
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

from workbench.geo.grid import Grid, grid_over

DEFAULT_BANDWIDTH_M = 200.0
DEFAULT_BIN_M = 50.0
MAX_BINS = 4_000_000  # a larger study area gets coarser bins, never an array of gigabytes


def kernel_density(x: np.ndarray, y: np.ndarray, bounds: tuple[float, float, float, float], *,
                   bandwidth_m: float = DEFAULT_BANDWIDTH_M,
                   bin_m: float = DEFAULT_BIN_M) -> tuple[Grid, np.ndarray]:
    """(grid, density per km² as an (n_rows, n_cols) array, row 0 = south)."""
    grid = density_grid(bounds, bandwidth_m=bandwidth_m, bin_m=bin_m)
    return grid, smoothed(grid.counts(x, y), grid, bandwidth_m=bandwidth_m)


def density_grid(bounds: tuple[float, float, float, float], *,
                 bandwidth_m: float = DEFAULT_BANDWIDTH_M, bin_m: float = DEFAULT_BIN_M) -> Grid:
    """The fine count grid over ``bounds`` and three bandwidths around them."""
    margin = 3 * bandwidth_m
    minx, miny, maxx, maxy = bounds
    area = (maxx - minx + 2 * margin) * (maxy - miny + 2 * margin)
    bin_m = max(bin_m, float(np.ceil(np.sqrt(area / MAX_BINS))))
    return grid_over((minx - margin, miny - margin, maxx + margin, maxy + margin), bin_m,
                     max_cells=2 * MAX_BINS)  # coarsened above: never refused


def smoothed(counts: np.ndarray, grid: Grid, *, bandwidth_m: float = DEFAULT_BANDWIDTH_M) -> np.ndarray:
    """Density per km² of points counted on ``density_grid`` (e.g. counted in the database)."""
    smooth = gaussian_filter(np.asarray(counts, dtype=float), sigma=bandwidth_m / grid.cell,
                             mode="constant", truncate=3.0)
    return smooth / (grid.cell * grid.cell / 1_000_000.0)
