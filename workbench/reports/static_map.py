"""Static maps drawn server-side (matplotlib, no tiles): areas by class or by category,
hot-spot cells and places, with a legend, a scale bar and a north arrow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from workbench.geo.crs import SWEREF99TM, SWEREF99TM_EPSG
from workbench.hotspots.gistar import CLASS_LABELS_SV
from workbench.palette import (
    HOTSPOT_COLOURS,
    OUTLINE,
    PLAN_FILL,
    PLAN_OUTLINE,
    RING_FILL,
    RING_OUTLINE,
    SEQUENTIAL,
    SUPPRESSED,
    class_breaks,
    colour_for,
)
from workbench.reports.charts import (
    _HALO,
    MUTED,
    TEXT,
    ZERO,
    _empty,
    _figure,
    _number,
    _png,
    _title,
)

NO_TILES = "Ingen bakgrundskarta: områdesgränser och data på ljus bakgrund."


def _path(geom: BaseGeometry | None) -> MplPath | None:
    """A compound matplotlib path (exteriors and holes) of a (multi)polygon."""
    if geom is None or geom.is_empty:
        return None
    polygons = [orient(p, 1.0) for p in shapely.get_parts(geom) if isinstance(p, Polygon)]
    rings = [ring for poly in polygons for ring in (poly.exterior, *poly.interiors)]
    paths = [MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings
             if len(ring.coords) >= 3]
    return MplPath.make_compound_path(*paths) if paths else None


def _in_3006(frame: Any) -> Any:
    crs = getattr(frame, "crs", None)
    if crs is not None and crs.to_epsg() != SWEREF99TM_EPSG:
        return frame.to_crs(SWEREF99TM)
    return frame


def _legend_classes(breaks: list[float], has_zero: bool) -> list[tuple[str, str]]:
    entries = [("0", ZERO)] if has_zero else []
    offset = len(SEQUENTIAL) - len(breaks)
    lower: float | None = None
    for i, upper in enumerate(breaks):
        if lower is None:
            text = f"≤ {_number(upper)}"
        elif upper.is_integer() and lower.is_integer():
            text = (f"{_number(lower + 1)}–{_number(upper)}" if upper > lower + 1
                    else _number(upper))
        else:
            text = f"{_number(lower)}–{_number(upper)}"
        entries.append((text, SEQUENTIAL[i + offset]))
        lower = upper
    return entries


def _scale_bar(ax: Any, width: float) -> None:
    steps = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000)
    length = max([s for s in steps if s <= width / 5], default=steps[0])
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    bar = AnchoredSizeBar(ax.transData, length, text, loc="lower left", pad=0.4, borderpad=0.6,
                          sep=3, frameon=True, size_vertical=width / 250, color="black",
                          fontproperties={"size": 9})
    bar.patch.set(facecolor="white", alpha=0.85, edgecolor="none")
    bar.set_zorder(9)
    ax.add_artist(bar)


def _north_arrow(ax: Any) -> None:
    """A north arrow beside the map, under the legend (the map's y axis points north)."""
    ax.annotate("N", xy=(1.05, 0.16), xytext=(1.05, 0.04), xycoords="axes fraction",
                ha="center", va="center", fontsize=12, fontweight="bold", annotation_clip=False,
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5})


def _extent(bounds: tuple[float, float, float, float], margin: float,
            aspect: float) -> tuple[float, float, float, float]:
    """(x0, y0, width, height) around ``bounds`` with ``margin`` and height/width = ``aspect``."""
    minx, miny, maxx, maxy = bounds
    w, h = max(maxx - minx, 200.0), max(maxy - miny, 200.0)
    w, h = w * (1 + 2 * margin), h * (1 + 2 * margin)
    if h / w < aspect:
        h = w * aspect
    else:
        w = h / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - w / 2, cy - h / 2, w, h


def _frame(ax: Any, extent: tuple[float, float, float, float], handles: list[Patch],
           legend_title: str) -> None:
    """Limits, equal aspect, no ticks, scale bar, north arrow and the legend beside the map."""
    x0, y0, width, height = extent
    ax.set_xlim(x0, x0 + width)
    ax.set_ylim(y0, y0 + height)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_color("#999999")
    _scale_bar(ax, width)
    _north_arrow(ax)
    ax.text(1.0, -0.005, NO_TILES, transform=ax.transAxes, ha="right", va="top", fontsize=7,
            color=MUTED)
    if handles:
        ax.legend(handles=handles, title=legend_title, loc="upper left", fontsize=9.5,
                  bbox_to_anchor=(1.01, 1.0), title_fontsize=10.5, frameon=False, alignment="left",
                  handlelength=1.6, handleheight=1.1)


def area_map(areas: Any, values: dict[int, float | None], labels: dict[int, str], *, title: str,
             legend_title: str, cells: Any = None, cell_classes: Sequence[str] | None = None,
             places: Any = None, highlight_area: int | None = None,
             categories: dict[int, tuple[str, str]] | None = None, width_in: float = 8.0) -> bytes:
    """A choropleth of ``areas`` (EPSG:3006, columns id/name/geometry) without any map tiles.

    ``width_in``: the figure's width in inches; the type keeps its size in points, so a narrower
    figure shown as large (a projector) has larger labels and legend.

    ``categories`` (area id → (legend label, colour)) fills by category instead of by value,
    e.g. the status levels an EST meeting set; areas without one are hatched grey.
    """
    if categories is not None:
        values = {}
    areas = _in_3006(areas)
    shapes = [(int(i), str(n), g) for i, n, g in zip(areas["id"], areas["name"], areas.geometry,
                                                      strict=True)
              if g is not None and not g.is_empty]
    focus = [g for i, _, g in shapes if i == highlight_area] if highlight_area is not None else []
    bounds = (focus[0].bounds if focus else
              tuple(np.asarray(areas.geometry.total_bounds)) if shapes else None)
    if bounds is None or not np.all(np.isfinite(bounds)):
        fig = _figure(8, 6)
        _empty(fig.add_subplot(), title, "Inga områden att visa")
        return _png(fig)
    minx, miny, maxx, maxy = bounds
    aspect = float(np.clip((maxy - miny) / max(maxx - minx, 1.0), 0.6, 1.3))
    fig = _figure(width_in, width_in * aspect + 0.5)
    ax = fig.add_axes((0.0, 0.0, 1.0, width_in * aspect / (width_in * aspect + 0.5)))
    x0, y0, width, height = _extent(bounds, 0.15 if focus else 0.08, aspect)
    numbers = {k: float(v) for k, v in values.items() if v is not None and np.isfinite(v)}
    breaks = class_breaks(list(numbers.values()))
    any_suppressed = False
    for area_id, _, geom in shapes:
        path = _path(geom)
        if path is None:
            continue
        faint = bool(focus) and area_id != highlight_area
        alpha = 0.35 if faint else 1.0
        if categories is not None and area_id in categories:
            ax.add_patch(PathPatch(path, facecolor=categories[area_id][1], edgecolor="none",
                                   alpha=alpha, zorder=1))
        elif area_id in numbers:
            ax.add_patch(PathPatch(path, facecolor=colour_for(numbers[area_id], breaks, zero=ZERO),
                                   edgecolor="none", alpha=alpha, zorder=1))
        else:
            any_suppressed = True
            ax.add_patch(PathPatch(path, facecolor=SUPPRESSED, edgecolor="#a0a0a0", hatch="///",
                                   linewidth=0, alpha=alpha, zorder=1))
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=OUTLINE, zorder=3,
                               linewidth=2.6 if area_id == highlight_area else 0.7,
                               alpha=0.4 if faint else 1.0))
    legend = (list(dict.fromkeys(categories[i] for i, _, _ in shapes if i in categories))
              if categories is not None
              else _legend_classes(breaks, any(v <= 0 for v in numbers.values())))
    handles = [Patch(facecolor=c, edgecolor=OUTLINE, linewidth=0.5, label=t) for t, c in legend]
    if any_suppressed:
        handles.append(Patch(facecolor=SUPPRESSED, edgecolor="#a0a0a0", hatch="///",
                             label="Ingen status satt" if categories is not None
                             else "Under gränsen / uppgift saknas"))
    handles += _draw_cells(ax, cells, cell_classes)
    place_labels = _draw_places(ax, places, (x0, y0, x0 + width, y0 + height))
    area_labels = []
    for area_id, name, geom in shapes:
        point = geom.representative_point()
        if not (x0 <= point.x <= x0 + width and y0 <= point.y <= y0 + height):
            continue
        label = labels.get(area_id, "")
        text = f"{name}\n{label}" if label else name
        faint = bool(focus) and area_id != highlight_area
        label_text = ax.text(point.x, point.y, text, ha="center", va="center", fontsize=8 if faint else 9,
                             color=MUTED if faint else TEXT, zorder=6, path_effects=_HALO,
                             fontweight="normal" if faint else "bold", linespacing=1.1, clip_on=True)
        area_labels.append((0 if area_id == highlight_area else 1 if not faint else 2, label_text))
    _frame(ax, (x0, y0, width, height), handles, legend_title)
    declutter(fig, [t for _, t in sorted(area_labels, key=lambda p: p[0])] + place_labels)
    _title(ax, title)
    return _png(fig)


def _draw_cells(ax: Any, cells: Any, cell_classes: Sequence[str] | None) -> list[Patch]:
    if cells is None or cell_classes is None or len(cells) == 0:
        return []
    cells = _in_3006(cells)
    if len(cell_classes) != len(cells):
        raise ValueError("cell_classes måste ha en klass per ruta")
    seen: set[str] = set()
    for geom, cls in zip(cells.geometry, cell_classes, strict=True):
        colour = HOTSPOT_COLOURS.get(cls or "")
        path = _path(geom)
        if colour is None or path is None:
            continue
        seen.add(cls)
        ax.add_patch(PathPatch(path, facecolor=colour, edgecolor=colour, alpha=0.6,
                               linewidth=0.3, zorder=2))
    return [Patch(facecolor=HOTSPOT_COLOURS[c], alpha=0.6, label=CLASS_LABELS_SV[c])
            for c in HOTSPOT_COLOURS if c in seen]


def declutter(fig: Any, texts: list[Any]) -> int:
    """Keep labels from overlapping: in priority order each label is kept where it is, moved one or
    two lines above or below, or else hidden (an area's name beats a place's; the legend and scale bar are
    outside the labels' way). Returns how many were hidden."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    hidden = 0
    for text in texts:
        if not text.get_visible():
            continue
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed):
            moved = False
            for dy in (box.height, -box.height, 2 * box.height, -2 * box.height):
                text.set_transform(text.get_transform() + _offset(fig, dy))
                trial = text.get_window_extent(renderer).expanded(1.05, 1.1)
                if not any(trial.overlaps(other) for other in placed):
                    box, moved = trial, True
                    break
                text.set_transform(text.get_transform() + _offset(fig, -dy))
            if not moved:
                text.set_visible(False)
                hidden += 1
                continue
        placed.append(box)
    return hidden


def _offset(fig: Any, dy_pixels: float) -> Any:
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(0, dy_pixels / fig.dpi, fig.dpi_scale_trans)


def _draw_places(ax: Any, places: Any, box: tuple[float, float, float, float]) -> list[Any]:
    """The places as dots with their names; returns the name labels (for declutter)."""
    labels: list[Any] = []
    if places is None or len(places) == 0:
        return labels
    places = _in_3006(places)
    names = places["name"] if "name" in places.columns else [""] * len(places)
    for geom, name in zip(places.geometry, names, strict=True):
        if geom is None or geom.is_empty:
            continue
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        if not (box[0] <= point.x <= box[2] and box[1] <= point.y <= box[3]):
            continue
        ax.plot([point.x], [point.y], marker="o", markersize=4, color="black",
                markeredgecolor="white", markeredgewidth=0.8, zorder=7)
        if name:
            labels.append(ax.annotate(str(name), (point.x, point.y), xytext=(4, 3), textcoords="offset points",
                                      fontsize=7.5, color=TEXT, zorder=7, path_effects=_HALO))
    return labels


def plan_map(plan: BaseGeometry, buffer_m: float, *, title: str, districts: Any = None,
             cells: Any = None, cell_classes: Sequence[str] | None = None,
             places: Any = None) -> bytes:
    """The plan area (EPSG:3006) with its surrounding ring, the districts it lies in, the
    significant hot-spot cells and the named places nearby. No points of incidents."""
    reach = plan.buffer(buffer_m, quad_segs=16) if buffer_m > 0 else plan
    minx, miny, maxx, maxy = reach.bounds
    aspect = float(np.clip((maxy - miny) / max(maxx - minx, 1.0), 0.6, 1.3))
    fig = _figure(8, 8 * aspect + 0.5)
    ax = fig.add_axes((0.0, 0.0, 1.0, 8 * aspect / (8 * aspect + 0.5)))
    x0, y0, width, height = _extent(reach.bounds, 0.12, aspect)
    box = shapely.box(x0, y0, x0 + width, y0 + height)
    handles: list[Patch] = []
    if districts is not None and len(districts):
        districts = _in_3006(districts)
        for name, geom in zip(districts["name"], districts.geometry, strict=True):
            path = _path(geom.intersection(box)) if geom is not None else None
            if path is None:
                continue
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor="#969696", linewidth=0.8,
                                   linestyle="--", zorder=1))
            point = geom.intersection(box).representative_point()
            ax.text(point.x, point.y, str(name), ha="center", va="center", fontsize=8,
                    color=MUTED, zorder=4, path_effects=_HALO, clip_on=True)
    handles += _draw_cells(ax, cells, cell_classes)
    if buffer_m > 0:
        ring = _path(reach.difference(plan))
        if ring is not None:
            ax.add_patch(PathPatch(ring, facecolor=RING_FILL, edgecolor="none", alpha=0.45, zorder=1))
            ax.add_patch(PathPatch(ring, facecolor="none", edgecolor=RING_OUTLINE, linestyle="--",
                                   linewidth=1.2, zorder=3))
            handles.append(Patch(facecolor=RING_FILL, edgecolor=RING_OUTLINE, linestyle="--",
                                 label=f"Omgivning {buffer_m:.0f} m"))
    path = _path(plan)
    if path is not None:
        ax.add_patch(PathPatch(path, facecolor=PLAN_FILL, edgecolor="none", alpha=0.55, zorder=2))
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=PLAN_OUTLINE, linewidth=2.2, zorder=5))
        handles.insert(0, Patch(facecolor=PLAN_FILL, edgecolor=PLAN_OUTLINE, linewidth=1.5,
                                label="Planområdet"))
    place_labels = _draw_places(ax, places, (x0, y0, x0 + width, y0 + height))
    _frame(ax, (x0, y0, width, height), handles, "Teckenförklaring")
    declutter(fig, place_labels)
    _title(ax, title)
    return _png(fig)
