"""Colours and class breaks shared by the web maps (maps/) and the documents (reports/)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Sequential yellow→red (ColorBrewer YlOrRd, 5 classes).
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
SUPPRESSED = "#d9d9d9"  # a count below the minimum, drawn without its number
OUTLINE = "#333333"
# Getis-Ord Gi* classes (hotspots.gistar): hot red, cold blue, stronger = darker.
HOTSPOT_COLOURS = {
    "hot_99": "#b2182b", "hot_95": "#ef8a62", "hot_90": "#fddbc7",
    "cold_90": "#d1e5f0", "cold_95": "#67a9cf", "cold_99": "#2166ac",
}


def class_breaks(values: Sequence[float] | np.ndarray, classes: int = len(SEQUENTIAL)) -> list[float]:
    """Upper bounds of equal-count classes over the positive values (at most ``classes``);
    whole numbers when the values are counts, empty when nothing is positive.

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    [3.0, 5.0, 7.0, 9.0, 10.0]
    """
    positive = np.asarray(values, dtype=float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if positive.size == 0:
        return []
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1)[1:])
    if np.all(positive == np.round(positive)):
        quantiles = np.ceil(quantiles)
    else:
        quantiles = np.round(quantiles, 2)
        quantiles[-1] = max(quantiles[-1], float(positive.max()))
    return sorted({float(q) for q in quantiles})


def colour_for(value: float, breaks: list[float], *, zero: str = SEQUENTIAL[0]) -> str:
    """The class colour of ``value`` given ``breaks`` from :func:`class_breaks`."""
    if not np.isfinite(value) or value <= 0 or not breaks:
        return zero
    offset = len(SEQUENTIAL) - len(breaks)
    for i, upper in enumerate(breaks):
        if value <= upper:
            return SEQUENTIAL[i + offset]
    return SEQUENTIAL[-1]

# The planning check: the plan area and the surrounding ring it is checked with.
PLAN_OUTLINE = "#08306b"
PLAN_FILL = "#c6dbef"
RING_OUTLINE = "#4292c6"
RING_FILL = "#deebf7"
