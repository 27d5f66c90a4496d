"""Folium maps built from aggregates only, working with no internet (Leaflet served inline)."""
