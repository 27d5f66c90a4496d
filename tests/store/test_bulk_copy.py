"""The bulk insert (PostgreSQL: COPY; SQLite: executemany) stores exactly the values it was given
— text with tabs, newlines, backslashes, quotes, NUL-free Unicode and emoji, empty and missing
values, timestamps, booleans, floats and WKB — inside the caller's transaction: a failure part
way leaves nothing behind. On SQLite and PostgreSQL (db_url)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import select

from workbench.schema import conform
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import open_store

TEXTS = ["tab\there", "rad ett\nrad två", "back\\slash \\N \\. slut", 'citat "x" och \'y\'', "åäö ÅÄÖ é ü",
         "🚲 stöld 😀", "", "semikolon; komma, pipe |", "\\", "x" * 190]


def _frame(org: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    times = pd.Timestamp("2026-01-01 00:00:00") + pd.to_timedelta(rng.integers(0, 300 * 86400, n), unit="s")
    x = rng.uniform(370_000, 390_000, n)
    y = rng.uniform(6_390_000, 6_410_000, n)
    x[::7] = np.nan  # no point
    frame = pd.DataFrame({
        "source_id": [f"B-{i}" for i in range(n)], "category": "skadegorelse",
        "category_original": [TEXTS[i % len(TEXTS)] for i in range(n)],
        "description": [None if i % 5 == 0 else TEXTS[(i * 3) % len(TEXTS)] for i in range(n)],
        "occurred_from": times, "x": x, "y": y,
        "precision": np.where(np.isnan(x), "area", "exact"),
        "date_only": [i % 4 == 0 for i in range(n)],
    })
    return conform(frame, "incident").assign(source="police", organisation_id=org)


def test_every_value_reads_back_as_written(db_url, monkeypatch):
    copies: list[int] = []
    real = repo._copy_rows
    monkeypatch.setattr(repo, "_copy_rows", lambda *args: copies.append(args[4]) or real(*args))
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Kopiakommun")
    rows = _frame(org, 2_500)
    with store.transaction() as conn:
        assert repo.insert_rows(conn, "incident", rows) == len(rows)
    assert copies == ([len(rows)] if db_url.startswith("postgresql") else [])  # COPY on PostgreSQL only
    table = t.Incident.__table__
    with store.engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(select(
            table.c.source_id, table.c.category_original, table.c.description, table.c.occurred_from,
            table.c.x, table.c.y, table.c.precision, table.c.date_only, table.c.geom_wkb)
            .order_by(table.c.id)).fetchall())
    assert list(stored["source_id"]) == list(rows["source_id"])
    assert list(stored["category_original"]) == list(rows["category_original"])
    assert [None if pd.isna(v) else v for v in stored["description"]] == \
        [None if pd.isna(v) else v for v in rows["description"]]
    assert list(pd.to_datetime(stored["occurred_from"])) == list(rows["occurred_from"])
    np.testing.assert_array_equal(stored["x"].astype(float).to_numpy(), rows["x"].to_numpy())
    assert list(stored["date_only"].astype(bool)) == list(rows["date_only"])
    assert list(stored["precision"]) == list(rows["precision"])
    for wkb, x, y in zip(stored["geom_wkb"], rows["x"], rows["y"], strict=True):
        assert (wkb is None) if np.isnan(x) else shapely.from_wkb(bytes(wkb)).equals(shapely.Point(x, y))


def test_a_failure_part_way_leaves_nothing(db_url):
    """The progress callback fails after the first chunk of 20 000 rows: the transaction rolls
    back every row already sent (COPY included)."""
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Avbruten")
    rows = _frame(org, 45_000)

    def fail(done: int, _total: int) -> None:
        if done >= 20_000:
            raise RuntimeError("avbruten mitt i")

    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            repo.insert_rows(conn, "incident", rows, progress=fail)
    with store.engine.connect() as conn:
        assert conn.execute(select(t.Incident.__table__.c.id)).first() is None
