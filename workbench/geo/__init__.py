"""Geometry helpers: coordinate systems, grids and point-in-area assignment."""
