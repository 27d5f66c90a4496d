"""The map of the reported observations ("Inrapporterat"): the areas coloured by their count
(small counts suppressed like every area map) and, only for roles with point access at their own
desk, each observation with a point as a marker coloured by its Bedömning. Observations of
sensitive categories and those with only an area never have a point here."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from workbench.geo.crs import to_wgs84
from workbench.maps.build import Basemap, area_count_map, tooltip_text

TITLE = "Inrapporterat"
# low → very serious
ASSESSMENT_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
NO_ASSESSMENT = "#6a51a3"


def _colour(value, levels: int) -> str:
    """The colour of Bedömning ``value`` on a scale of ``levels`` (green low, red most serious).

    >>> _colour(1, 4), _colour(4, 4), _colour(None, 4)
    ('#1a9850', '#d73027', '#6a51a3')
    """
    if value is None or pd.isna(value) or not 1 <= int(value) <= levels:
        return NO_ASSESSMENT
    share = (int(value) - 1) / max(levels - 1, 1)
    return ASSESSMENT_COLOURS[int(round(share * (len(ASSESSMENT_COLOURS) - 1)))]


def observation_map(areas: gpd.GeoDataFrame, counts: dict[int, int], points: pd.DataFrame | None, *,
                    min_count: int, suppress: bool, basemap: Basemap,
                    levels: tuple[str, ...]) -> folium.Map:
    """Area counts, and the point observations of ``points`` (columns x, y in EPSG:3006, category,
    iso_week, assessment, status) when given; every text in a tooltip is escaped."""
    m = area_count_map(areas, counts, min_count=min_count, suppress=suppress, basemap=basemap, title=TITLE)
    if points is None or points.empty:
        return m
    shown = points[points["x"].notna() & points["y"].notna()]
    if shown.empty:
        return m
    lon, lat = to_wgs84(shown["x"].to_numpy(dtype=float), shown["y"].to_numpy(dtype=float))
    group = folium.FeatureGroup(name="Inrapporterade observationer")
    for lo, la, row in zip(np.asarray(lon), np.asarray(lat), shown.itertuples(), strict=True):
        assessed = "" if pd.isna(row.assessment) else (
            f" · Bedömning {int(row.assessment)}"
            + (f" ({levels[int(row.assessment) - 1]})" if 1 <= int(row.assessment) <= len(levels) else ""))
        tip = f"nr {int(row.id)} · v. {int(row.iso_week)} · {row.category}{assessed} · {row.status}"
        folium.CircleMarker([float(la), float(lo)], radius=7, weight=2, color="#222",
                            fill=True, fill_color=_colour(row.assessment, len(levels)), fill_opacity=0.9,
                            tooltip=tooltip_text(tip)).add_to(group)
    group.add_to(m)
    return m
