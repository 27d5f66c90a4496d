"""Assign points to the polygon (area or place) that contains them, vectorised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


def assign_points(x: np.ndarray, y: np.ndarray, polygons: Sequence[BaseGeometry]) -> np.ndarray:
    """Index into ``polygons`` of the polygon containing each point, or -1.

    Points on a shared border go to the polygon with the lowest index; NaN points get -1.

    >>> from shapely.geometry import box
    >>> assign_points(np.array([0.5, 5.0, np.nan]), np.array([0.5, 5.0, 1.0]), [box(0, 0, 1, 1)]).tolist()
    [0, -1, -1]
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    result = np.full(x.shape[0], -1, dtype=np.int64)
    if x.size == 0 or len(polygons) == 0:
        return result
    valid = ~(np.isnan(x) | np.isnan(y))
    idx = np.flatnonzero(valid)
    points = shapely.points(x[idx], y[idx])
    tree = shapely.STRtree(list(polygons))
    point_i, poly_i = tree.query(points, predicate="intersects")
    if point_i.size:
        order = np.lexsort((poly_i, point_i))
        point_i, poly_i = point_i[order], poly_i[order]
        first = np.ones(point_i.size, dtype=bool)
        first[1:] = point_i[1:] != point_i[:-1]
        result[idx[point_i[first]]] = poly_i[first]
    return result
