"""The hot-spot map: bounded payload at a million incidents, escaped text, suppression."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from workbench.geo.grid import grid_over
from workbench.hotspots.gistar import hotspot_analysis
from workbench.maps.build import Basemap
from workbench.maps.hotspot_map import HotspotLayers, hotspot_map

EXTENT = (360_000, 6_385_000, 400_000, 6_415_000)  # a kommun-sized 40 × 30 km


def _decoded(html: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), html)


def _million():
    rng = np.random.default_rng(3)
    n = 1_000_000
    centres = rng.uniform([EXTENT[0], EXTENT[1]], [EXTENT[2], EXTENT[3]], (60, 2))
    which = rng.integers(0, 60, n)
    x = centres[which, 0] + rng.normal(0, 600, n)
    y = centres[which, 1] + rng.normal(0, 600, n)
    return x, y


def test_map_from_a_million_incidents_stays_under_two_megabytes():
    x, y = _million()
    grid = grid_over(EXTENT, 250)
    result = hotspot_analysis(x, y, grid)
    layers = HotspotLayers(result=result, fault_counts=result.counts // 10,
                           walk_counts=result.counts // 50)
    m = hotspot_map(layers, min_count=3, suppress=True, basemap=Basemap("osm", "© OSM"))
    html = m.get_root().render()
    # what st_folium sends: the map script plus Leaflet by data: URL
    payload = len(html.encode()) + sum(len(url) for _, url in m.default_js + m.default_css)
    assert payload < 2_000_000, payload / 1e6
    assert "Point" not in html  # no point features at all: cells and circles only


def test_place_names_are_escaped_and_small_counts_hidden():
    grid = grid_over((377_000, 6_399_000, 378_000, 6_400_000), 250)
    x = np.array([377_100.0] * 50 + [377_900.0])
    y = np.array([6_399_100.0] * 50 + [6_399_900.0])
    result = hotspot_analysis(x, y, grid)
    places = gpd.GeoDataFrame({"id": [1, 2], "name": ["<img src=x onerror=alert(1)>", "Torget & co"],
                               "radius_m": [None, 40.0], "count": [50, 1]},
                              geometry=[box(377_000, 6_399_000, 377_200, 6_399_200), Point(377_900, 6_399_900)],
                              crs=3006)
    shared = _decoded(hotspot_map(HotspotLayers(result=result, places=places), min_count=3, suppress=True,
                                  basemap=Basemap("none", "")).get_root().render())
    assert "<img src=x" not in shared and "&lt;img src=x onerror=alert(1)&gt;" in shared
    assert "Torget &amp; co" in shared and "Händelser: &lt;3" in shared
    assert 'Händelser: 1"' not in shared
    private = _decoded(hotspot_map(HotspotLayers(result=result, places=places), min_count=3, suppress=False,
                                   basemap=Basemap("none", "")).get_root().render())
    assert "Händelser: 1" in private


def test_leaflet_is_given_by_data_url_to_the_component():
    grid = grid_over((377_000, 6_399_000, 378_000, 6_400_000), 250)
    result = hotspot_analysis(np.array([377_100.0]), np.array([6_399_100.0]), grid)
    m = hotspot_map(HotspotLayers(result=result), min_count=3, suppress=False, basemap=Basemap("none", ""))
    assert [name for name, _ in m.default_js] == ["leaflet"]
    assert m.default_js[0][1].startswith("data:text/javascript;base64,")
    assert all(url.startswith("data:") for _, url in m.default_css)
    frame = pd.Series([url for _, url in m.default_js + m.default_css])
    assert not frame.str.contains("cdn|https?://").any()


def test_the_density_surface_is_left_out_on_a_shared_screen():
    """Smoothing one event still draws a blob on its spot: only private screens get it."""
    from workbench.hotspots.kde import kernel_density

    bounds = (377_000, 6_399_000, 378_000, 6_400_000)
    x, y = np.array([377_100.0]), np.array([6_399_100.0])
    layers = HotspotLayers(result=hotspot_analysis(x, y, grid_over(bounds, 250)),
                           density=kernel_density(x, y, bounds))
    def render(suppress: bool) -> str:
        return _decoded(hotspot_map(layers, min_count=3, suppress=suppress,
                                    basemap=Basemap("none", "")).get_root().render())
    assert "Täthet (värmekarta)" in render(False)
    assert "Täthet (värmekarta)" not in render(True)


def _cluster_layers():
    """A kommun-wide grid with one dense cluster: fitted to the grid, 250 m cells are specks."""
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(EXTENT[0], EXTENT[2], 3000), rng.normal(385_000, 150, 800)])
    y = np.concatenate([rng.uniform(EXTENT[1], EXTENT[3], 3000), rng.normal(6_400_000, 150, 800)])
    result = hotspot_analysis(x, y, grid_over(EXTENT, 250))
    areas = gpd.GeoDataFrame({"id": [7, 8], "name": ["Norrby <Centrum>", "Hulta"]},
                             geometry=[box(380_000, 6_395_000, 390_000, 6_405_000),
                                       box(360_000, 6_385_000, 365_000, 6_390_000)], crs=3006)
    return HotspotLayers(result=result, areas=areas)


def _fitted(html: str) -> list[float]:
    found = re.search(r"fitBounds\(\s*\[\[([-\d.]+),\s*([-\d.]+)\],\s*\[([-\d.]+),\s*([-\d.]+)\]\]", html)
    return [float(v) for v in found.groups()]


def test_the_first_view_is_fitted_to_the_hot_cells_not_the_whole_grid():
    from workbench.geo.crs import to_wgs84
    from workbench.maps.hotspot_map import FIT_MAX_ZOOM

    layers = _cluster_layers()
    html = hotspot_map(layers, min_count=3, suppress=False, basemap=Basemap("none", "")).get_root().render()
    south, west, north, east = _fitted(html)
    lon, lat = to_wgs84(np.array([385_000.0]), np.array([6_400_000.0]))
    assert south < lat[0] < north and west < lon[0] < east
    # a few km across, not the 40 km grid: at the fitted zoom a 250 m cell is tens of pixels
    assert (east - west) < 0.15 and (north - south) < 0.08
    assert f'"maxZoom": {FIT_MAX_ZOOM}' in html


def test_a_chosen_area_is_the_first_view_and_area_names_are_on_the_map():
    layers = _cluster_layers()
    html = _decoded(hotspot_map(layers, min_count=3, suppress=False, basemap=Basemap("none", ""),
                                area_id=8).get_root().render())
    south, west, north, east = _fitted(html)
    hulta = gpd.GeoSeries([box(360_000, 6_385_000, 365_000, 6_390_000)], crs=3006).to_crs(4326).total_bounds
    assert np.allclose([west, south, east, north], hulta, atol=1e-6)
    assert '<div class=\\"wb-label\\">Hulta</div>' in html
    assert "Norrby &lt;Centrum&gt;" in html and "<Centrum>" not in html
    assert '"interactive": false' in html  # the labels do not take the clicks meant for cells


def test_drawing_tools_for_a_new_place_only_when_asked():
    layers = _cluster_layers()
    with_tools = _decoded(hotspot_map(layers, min_count=3, suppress=False, basemap=Basemap("none", ""),
                                      draw=True).get_root().render())
    assert "L.Control.Draw" in with_tools and "Rita en cirkel (punkt och radie)" in with_tools
    assert '"circle": {' in with_tools and '"feet": false' in with_tools
    without = hotspot_map(layers, min_count=3, suppress=False, basemap=Basemap("none", "")).get_root().render()
    assert "L.Control.Draw" not in without
