"""The bulk insert writes the same bytes and text as shapely and SQLAlchemy would."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import shapely
from sqlalchemy.dialects import sqlite

from workbench.store import repositories as repo


def test_point_wkb_is_shapelys_wkb_and_none_where_a_coordinate_is_missing():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1e6, 1e7, 500)
    y = rng.uniform(-1e6, 1e7, 500)
    x[[3, 7]] = np.nan
    y[[7, 11]] = np.nan
    x[20], y[20] = 0.0, 0.0  # trailing zero bytes are kept
    out = repo.point_wkb(pd.Series(x), pd.Series(y))
    for i, wkb in enumerate(out):
        if i in (3, 7, 11):
            assert wkb is None
        else:
            assert wkb == shapely.to_wkb(shapely.Point(x[i], y[i]))
            assert shapely.from_wkb(wkb).equals(shapely.Point(x[i], y[i]))
    every = repo.point_wkb(pd.Series([376980.0, 1.5]), pd.Series([6399470.0, 0.0]))
    assert every == [shapely.to_wkb(shapely.Point(376980.0, 6399470.0)),
                     shapely.to_wkb(shapely.Point(1.5, 0.0))]


def test_sqlite_datetime_text_is_what_sqlalchemy_writes():
    values = [datetime(2024, 3, 5, 14, 30), datetime(1899, 12, 30, 0, 0, 1, 5),
              datetime(2026, 12, 31, 23, 59, 59, 999999), None, datetime(2024, 1, 1)]
    series = pd.Series(pd.to_datetime(values))
    write = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert repo._sqlite_datetime_text(series) == [None if v is None else write(v) for v in values]
    stored = repo._column_values(series, sqlite=True).tolist()
    assert stored == [None if v is None else write(v) for v in values]
