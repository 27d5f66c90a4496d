"""The prepared map sends st_folium's component exactly what st_folium itself would send."""

from __future__ import annotations

import copy

import branca
import folium
import geopandas as gpd
import numpy as np
import pytest
import streamlit_folium
from shapely.geometry import Point, box

from workbench.geo.grid import grid_over
from workbench.hotspots.gistar import hotspot_analysis
from workbench.maps.build import Basemap
from workbench.maps.hotspot_map import HotspotLayers, hotspot_map
from workbench.ui import folium_map

RETURNED = ["last_active_drawing"]


def _the_hotspot_map() -> folium.Map:
    grid = grid_over((377_000, 6_399_000, 379_000, 6_401_000), 250)
    rng = np.random.default_rng(5)
    x, y = rng.normal(377_800, 300, 2000), rng.normal(6_399_900, 300, 2000)
    result = hotspot_analysis(x, y, grid)
    places = gpd.GeoDataFrame({"id": [1, 2], "name": ["Torget <b>", "Stationen"], "radius_m": [None, 40.0],
                               "count": [50, 1]},
                              geometry=[box(377_000, 6_399_000, 377_200, 6_399_200), Point(377_900, 6_399_900)],
                              crs=3006)
    return hotspot_map(HotspotLayers(result=result, places=places, fault_counts=result.counts // 10),
                       min_count=3, suppress=True, basemap=Basemap("osm", "© OSM"))


def _with_legend() -> folium.Map:
    m = folium.Map(location=(57.72, 12.94), zoom_start=13)
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "Point", "coordinates": [12.94, 57.72]}}]},
                   tooltip=folium.GeoJsonTooltip(["n"])).add_to(m)
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=10, caption="Antal").add_to(m)
    return m


@pytest.mark.parametrize("build", [_the_hotspot_map, _with_legend])
@pytest.mark.parametrize("use_container_width", [True, False])
def test_prepared_map_sends_the_same_arguments_as_st_folium(monkeypatch, build, use_container_width):
    calls: list[dict] = []

    def component(**kwargs):
        calls.append(kwargs)
        return kwargs["default"]

    monkeypatch.setattr(streamlit_folium, "_component_func", component)
    m = build()
    twin = copy.deepcopy(m)  # the same element ids: the scripts can be compared as text
    returned = streamlit_folium.st_folium(m, key="hs_map", height=620, returned_objects=RETURNED,
                                          use_container_width=use_container_width)
    ours = folium_map.show(folium_map.prepare(twin, "hs_map"), height=620, returned_objects=RETURNED,
                           use_container_width=use_container_width)
    theirs, mine = calls
    assert len(theirs["script"]) > 1000 and theirs["js_links"]
    assert {k: v for k, v in mine.items() if k != "on_change"} == \
        {k: v for k, v in theirs.items() if k != "on_change"}
    assert ours == returned


def test_all_returned_objects_default_as_st_folium(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw) or kw["default"])
    m = _with_legend()
    twin = copy.deepcopy(m)
    every = ["last_clicked", "bounds", "zoom", "last_object_clicked_tooltip", "last_active_drawing"]
    streamlit_folium.st_folium(m, key="k", returned_objects=every)
    folium_map.show(folium_map.prepare(twin, "k"), height=700, returned_objects=every,
                    use_container_width=False)
    assert calls[0]["default"] == calls[1]["default"]
    assert calls[1]["default"]["bounds"]["_southWest"]["lat"] == pytest.approx(57.72)
