import re

import geopandas as gpd
from shapely.geometry import box

from workbench.maps.assets import leaflet_css, leaflet_js, leaflet_version
from workbench.maps.build import Basemap, area_count_map, map_html


def _areas():
    return gpd.GeoDataFrame(
        {"id": [1, 2, 3], "name": ["Centrum", "<script>alert('x')</script>", "Norrby & Co"]},
        geometry=[box(377000, 6399000, 378000, 6400000), box(378000, 6399000, 379000, 6400000),
                  box(377000, 6400000, 378000, 6401000)],
        crs=3006,
    )


def _html(suppress=True, basemap="none"):
    """The map HTML with JSON \\uXXXX escapes decoded, i.e. the strings as the browser gets them."""
    m = area_count_map(_areas(), {1: 120, 2: 2, 3: 0}, min_count=3, suppress=suppress,
                       basemap=Basemap(basemap, "© test"))
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), map_html(m))


def test_map_loads_nothing_from_the_network():
    html = _html(basemap="none")
    assert not re.findall(r'<script[^>]+src=', html), "external scripts would fail offline"
    assert not re.findall(r'<link[^>]+stylesheet[^>]+href=["\']https?:', html)
    assert leaflet_js()[:200] in html
    assert "url(data:image/png;base64," in leaflet_css()
    assert leaflet_version().startswith("1.")


def test_osm_basemap_is_only_a_tile_url():
    html = _html(basemap="osm")
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert not re.findall(r'<script[^>]+src=', html)


def test_user_text_is_escaped():
    html = _html()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Norrby &amp; Co" in html


def test_small_counts_are_suppressed_on_a_shared_screen():
    shared = _html(suppress=True)
    assert "&lt;3" in shared and "färre än 3 (dolt)" in shared
    assert ">2<" not in shared and "händelser: 2" not in shared.lower()
    private = _html(suppress=False)
    assert "&lt;3" not in private


def test_payload_is_small_and_independent_of_counts():
    def size(counts):
        m = area_count_map(_areas(), counts, min_count=3, suppress=True, basemap=Basemap("none", ""))
        return len(map_html(m))

    small = size({1: 120, 2: 2, 3: 0})
    assert abs(size({1: 10**6, 2: 10**5, 3: 10**4}) - small) < 0.01 * small
    assert small < 400_000


def test_a_missing_base_map_is_said_in_one_line_not_left_blank():
    import geopandas as gpd
    from shapely.geometry import box

    from workbench.maps.build import NO_BASEMAP, UNREACHABLE_BASEMAP, Basemap, area_count_map

    areas = gpd.GeoDataFrame({"id": [1], "name": ["Centrum"]},
                             geometry=[box(377_000, 6_399_000, 378_000, 6_400_000)], crs=3006)
    none = area_count_map(areas, {1: 5}, min_count=3, suppress=False,
                          basemap=Basemap("none", "")).get_root().render()
    assert NO_BASEMAP.split(":")[0] in none and 'on("tileerror"' not in none
    osm = area_count_map(areas, {1: 5}, min_count=3, suppress=False,
                         basemap=Basemap("osm", "© OSM")).get_root().render()
    # the browser shows the line on the first tile that fails (no network, a blocked server)
    assert 'on("tileerror"' in osm and UNREACHABLE_BASEMAP[:26] in osm  # JSON-escaped after that
    assert NO_BASEMAP.split(":")[0] not in osm


def test_the_scale_bar_is_metric_and_clear_of_the_legend():
    import geopandas as gpd
    from shapely.geometry import box

    from workbench.maps.build import Basemap, area_count_map

    areas = gpd.GeoDataFrame({"id": [1], "name": ["Centrum"]},
                             geometry=[box(377_000, 6_399_000, 378_000, 6_400_000)], crs=3006)
    html = area_count_map(areas, {1: 5}, min_count=3, suppress=False,
                          basemap=Basemap("none", "")).get_root().render()
    assert 'L.control.scale({metric: true, imperial: false, position: "bottomright"})' in html
    assert html.count("L.control.scale(") == 1  # not folium's own (feet and miles) as well
    assert ".wb-legend{position:absolute;z-index:1000;bottom:18px;left:10px" in html  # other corner
