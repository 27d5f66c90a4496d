"""A drawing tool for one plan area (polygon or rectangle) that works with no internet.

Leaflet.draw is vendored (``vendor/leaflet_draw``) and handed to folium's ``Draw`` plugin as
data: URLs, which both a standalone HTML document and ``st_folium`` load. Its texts are Swedish.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template

from workbench.maps.assets import draw_data_urls
from workbench.palette import PLAN_OUTLINE

COLOUR = PLAN_OUTLINE  # dark blue: stands apart from the yellow→red and hot-spot fills
SHAPE: dict[str, Any] = {"color": COLOUR, "weight": 3, "opacity": 0.9, "fill": True,
                         "fillColor": COLOUR, "fillOpacity": 0.15}
INTERSECTION_ERROR = "Kanterna får inte korsa varandra!"

# Leaflet.draw's L.drawLocal, for the parts a planner can meet (polygon, rectangle, edit, remove).
SWEDISH = {
    "format": {"numeric": {"delimiters": {"thousands": "\u00a0", "decimal": ","}}},
    "draw": {
        "toolbar": {
            "actions": {"title": "Avbryt ritandet", "text": "Avbryt"},
            "finish": {"title": "Slutför ytan", "text": "Slutför"},
            "undo": {"title": "Ta bort sista punkten", "text": "Ta bort sista punkten"},
            "buttons": {"polygon": "Rita en polygon", "rectangle": "Rita en rektangel",
                        "circle": "Rita en cirkel (punkt och radie)"},
        },
        "handlers": {
            "circle": {"tooltip": {"start": "Klicka och dra för att rita en cirkel."}, "radius": "Radie"},
            "polygon": {"tooltip": {
                "start": "Klicka för att börja rita ytan.",
                "cont": "Klicka för att fortsätta rita ytan.",
                "end": "Klicka på första punkten för att stänga ytan.",
            }},
            "polyline": {"error": INTERSECTION_ERROR},
            "rectangle": {"tooltip": {"start": "Klicka och dra för att rita en rektangel."}},
            "simpleshape": {"tooltip": {"end": "Släpp musknappen för att slutföra."}},
        },
    },
    "edit": {
        "toolbar": {
            "actions": {
                "save": {"title": "Spara ändringarna", "text": "Spara"},
                "cancel": {"title": "Ångra alla ändringar", "text": "Ångra"},
                "clearAll": {"title": "Ta bort alla ytor", "text": "Rensa allt"},
            },
            "buttons": {"edit": "Redigera", "editDisabled": "Inget att redigera",
                        "remove": "Ta bort", "removeDisabled": "Inget att ta bort"},
        },
        "handlers": {
            "edit": {"tooltip": {"text": "Dra i punkterna för att ändra ytan.",
                                 "subtext": "Klicka på Ångra för att ångra ändringarna."}},
            "remove": {"tooltip": {"text": "Klicka på ytan som ska tas bort."}},
        },
    },
}


class _SwedishTexts(MacroElement):
    """Merges SWEDISH into L.drawLocal; added before the control, whose toolbar reads it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function merge(into, texts) {
            for (var key in texts) {
                if (typeof texts[key] === "object") { merge(into[key] = into[key] || {}, texts[key]); }
                else { into[key] = texts[key]; }
            }
        })(L.drawLocal, {{ this.texts|tojson }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        """Carry the texts to the template."""
        super().__init__()
        self._name = "DrawSwedish"
        self.texts = SWEDISH


class _OneArea(MacroElement):
    """A newly drawn area replaces the earlier ones in ``group`` (one plan area at a time)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on(L.Draw.Event.CREATED, function (e) {
            {{ this.group.get_name() }}.eachLayer(function (layer) {
                if (layer !== e.layer) { {{ this.group.get_name() }}.removeLayer(layer); }
            });
        });
        {% endmacro %}
    """)

    def __init__(self, group: folium.FeatureGroup) -> None:
        """Remember the group holding the drawn areas."""
        super().__init__()
        self._name = "DrawOneArea"
        self.group = group


def _rings(geometry: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """The (lat, lon) rings of each polygon of a GeoJSON (Multi)Polygon or Feature in WGS 84."""
    if geometry.get("type") == "Feature":
        geometry = geometry["geometry"]
    kind = geometry.get("type")
    if kind not in {"Polygon", "MultiPolygon"}:
        raise ValueError(f"en planyta måste vara en polygon, inte {kind}")
    coordinates: list[Any] = geometry["coordinates"]
    polygons = [coordinates] if kind == "Polygon" else coordinates
    return [[[(float(p[1]), float(p[0])) for p in ring] for ring in polygon] for polygon in polygons]


def add_draw_control(m: folium.Map, *, existing: dict[str, Any] | None = None,
                     circle: bool = False, name: str = "Planområde") -> Draw:
    """Add offline Swedish tools for one area (a plan area, or a new place: with ``circle`` also a
    point and radius); ``existing`` (GeoJSON) starts as drawn."""
    group = folium.FeatureGroup(name=name, control=False)
    for rings in _rings(existing) if existing else []:
        folium.Polygon(rings, **SHAPE).add_to(group)
    draw = Draw(
        export=False,
        feature_group=group,
        show_geometry_on_click=False,
        draw_options={
            "polyline": False, "marker": False, "circlemarker": False,
            "circle": {"shapeOptions": SHAPE, "metric": True, "feet": False} if circle else False,
            "polygon": {"allowIntersection": False, "showArea": True, "metric": True,
                        "shapeOptions": SHAPE, "drawError": {"message": INTERSECTION_ERROR}},
            "rectangle": {"showArea": True, "metric": True, "shapeOptions": SHAPE},
        },
        edit_options={"edit": {}, "remove": {}, "poly": {"allowIntersection": False}},
    )
    draw.default_js = [("leaflet_draw_js", draw_data_urls()[0])]
    draw.default_css = [("leaflet_draw_css", draw_data_urls()[1])]
    m.add_child(_SwedishTexts())
    m.add_child(group)
    m.add_child(draw)
    m.add_child(_OneArea(group))
    return draw
