"""Charts and static maps drawn server-side with matplotlib's object API, returned as PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

import matplotlib
import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from workbench import numbers
from workbench.palette import SUPPRESSED

# Names and titles come from users: '$…$' must be drawn as written, never read as mathematics
# (matplotlib's mathtext fails on e.g. "Plan $\x$"). Set once at import, before any text exists.
matplotlib.rcParams["text.parse_math"] = False

DPI = 150
FONT = "DejaVu Sans"
# Okabe–Ito, safe for the common forms of colour blindness.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BAR, BAR_HIGHLIGHT = "#0072B2", "#D55E00"
TEXT, MUTED, GRID = "#222222", "#666666", "#dddddd"
ZERO = "#ffffff"  # an area with no events on a static map
WEEKDAYS = ("Mån", "Tis", "Ons", "Tor", "Fre", "Lör", "Sön")
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _title(ax: Any, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=TEXT)


def _png(fig: Figure) -> bytes:
    """PNG bytes, every text in DejaVu Sans (set per text: no global rcParams, thread-safe)."""
    fig.draw_without_rendering()  # creates the tick labels, so they can be set too
    for text in fig.findobj(Text):
        text.set_fontfamily(FONT)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15,
                facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _number(value: float) -> str:
    """Swedish number format: a space between thousands, a decimal comma."""
    if float(value).is_integer():
        return numbers.integer(value)
    return numbers.decimal(value, 1)


def _clean(ax: Any, title: str, grid_axis: str = "x") -> None:
    _title(ax, title)
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(MUTED)
    ax.tick_params(colors=TEXT, labelsize=9)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(ax: Any, title: str, message: str = "Inga uppgifter att visa") -> None:
    _title(ax, title)
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, fontsize=11,
            transform=ax.transAxes)
    ax.set_axis_off()


def _finite(values: Iterable[float | None]) -> np.ndarray:
    array = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return array[np.isfinite(array)]


def bar_chart(labels: list[str], values: list[float | None], *, title: str, xlabel: str = "",
              highlight: AbstractSet[str] = frozenset(),
              value_labels: list[str] | None = None) -> bytes:
    """Horizontal bars in the given order (first at the top); ``None`` draws no bar."""
    fig = _figure(8, max(2.6, 0.36 * len(labels) + 1.3))
    ax = fig.add_subplot()
    if not labels:
        _empty(ax, title)
        return _png(fig)
    if len(values) != len(labels):
        raise ValueError("labels och values måste vara lika långa")
    texts = value_labels or ["–" if v is None else _number(v) for v in values]
    y = np.arange(len(labels))
    bars = [0.0 if v is None or not np.isfinite(v) else float(v) for v in values]
    colours = [BAR_HIGHLIGHT if lab in highlight else BAR for lab in labels]
    ax.barh(y, bars, color=colours, height=0.7)
    top = max([b for b in bars if b > 0], default=1.0)
    for yi, bar, text in zip(y, bars, texts, strict=True):
        ax.text(bar + top * 0.01, float(yi), text, va="center", ha="left", fontsize=9, color=TEXT)
    ax.set_yticks(y, labels)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(xlabel, color=TEXT)
    _clean(ax, title)
    return _png(fig)


def grouped_bar_chart(categories: list[str], series: dict[str, list[float | None]], *,
                      title: str) -> bytes:
    """Horizontal bars per category, one bar per series (e.g. this period vs the previous)."""
    n_series = max(len(series), 1)
    fig = _figure(8, max(2.6, (0.22 * n_series + 0.2) * len(categories) + 1.6))
    ax = fig.add_subplot()
    if not categories or not series or _finite(v for s in series.values() for v in s).size == 0:
        _empty(ax, title)
        return _png(fig)
    y = np.arange(len(categories))
    height = 0.8 / n_series
    for i, (name, values) in enumerate(series.items()):
        if len(values) != len(categories):
            raise ValueError(f"serien {name!r} har fel längd")
        bars = [np.nan if v is None else float(v) for v in values]
        ax.barh(y - 0.4 + height * (i + 0.5), bars, height=height * 0.92,
                color=SERIES[i % len(SERIES)], label=name)
    ax.set_yticks(y, categories)
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    _clean(ax, title)
    return _png(fig)


def line_chart(x_labels: list[str], series: dict[str, list[float]], *, title: str,
               ylabel: str = "") -> bytes:
    """One line per series over ``x_labels`` (e.g. months)."""
    fig = _figure(8, 3.6)
    ax = fig.add_subplot()
    if not x_labels or not series or _finite(v for s in series.values() for v in s).size == 0:
        _empty(ax, title)
        return _png(fig)
    x = np.arange(len(x_labels))
    for i, (name, values) in enumerate(series.items()):
        if len(values) != len(x_labels):
            raise ValueError(f"serien {name!r} har fel längd")
        ys = [np.nan if v is None else float(v) for v in values]
        ax.plot(x, ys, color=SERIES[i % len(SERIES)], linewidth=2, marker="o", markersize=3.5,
                label=name)
    step = max(1, int(np.ceil(len(x_labels) / 14)))
    ax.set_xticks(x[::step], [x_labels[i] for i in x[::step]],
                  rotation=45 if len(x_labels) > 8 else 0, ha="right" if len(x_labels) > 8
                  else "center")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(ylabel, color=TEXT)
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=9)
    _clean(ax, title, grid_axis="y")
    return _png(fig)


def heat_table(matrix: np.ndarray, *, title: str) -> bytes:
    """Weekday (rows Mån..Sön) × hour (columns 0..23) profile as a heat table."""
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    data = np.asarray(matrix, dtype=float)
    if data.size == 0 or not np.isfinite(data).any():
        _empty(ax, title)
        return _png(fig)
    if data.shape != (7, 24):
        raise ValueError(f"matrisen ska vara 7×24, inte {data.shape}")
    cmap = colormaps["YlOrRd"].with_extremes(bad=SUPPRESSED)
    image = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, aspect="auto",
                      vmin=0, vmax=max(float(np.nanmax(data)), 1.0), interpolation="nearest")
    ax.set_xticks(np.arange(24), [f"{h:02d}" for h in range(24)], fontsize=8)
    ax.set_yticks(np.arange(7), WEEKDAYS)
    ax.set_xlabel("Timme", color=TEXT)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    _title(ax, title)
    bar = fig.colorbar(image, ax=ax, fraction=0.025, pad=0.015)
    bar.outline.set_visible(False)
    bar.ax.tick_params(labelsize=8)
    return _png(fig)


# --- static maps -------------------------------------------------------------------------------
