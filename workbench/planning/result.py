"""One planning check as the page, the CLI and the report see it."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from workbench.planning.area import PlanArea
from workbench.planning.figures import PlanningFigures


@dataclass(frozen=True)
class PlanningCheck:
    """The plan area, the figures around it, the data's suggestions and the map layers."""

    organisation: str
    name: str
    reference: str | None
    plan: PlanArea
    figures: PlanningFigures
    suggestions: dict[str, str]
    districts: gpd.GeoDataFrame  # overlapping districts (id, name, geometry), EPSG:3006
    places: gpd.GeoDataFrame  # nearby places (id, name, kind, zone, geometry), EPSG:3006
    min_count: int = 3
