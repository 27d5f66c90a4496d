"""Colours and class breaks shared by every map and legend."""

from __future__ import annotations

import numpy as np

# Sequential yellow→red (ColorBrewer YlOrRd, 5 classes).
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
SUPPRESSED = "#d9d9d9"
OUTLINE = "#333333"


def class_breaks(values: np.ndarray, classes: int = len(SEQUENTIAL)) -> list[float]:
    """Upper bounds of equal-count classes over the positive values (at most ``classes``)."""
    positive = np.asarray(values, dtype=float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if positive.size == 0:
        return [0.0]
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1)[1:])
    return sorted({float(np.ceil(q)) for q in quantiles})


def colour_for(value: float, breaks: list[float]) -> str:
    """The class colour of ``value`` given ``breaks`` from :func:`class_breaks`."""
    if not np.isfinite(value) or value <= 0:
        return SEQUENTIAL[0]
    offset = len(SEQUENTIAL) - len(breaks)
    for i, upper in enumerate(breaks):
        if value <= upper:
            return SEQUENTIAL[i + offset]
    return SEQUENTIAL[-1]
