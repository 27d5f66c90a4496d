"""Which of a file's source ids are stored: the same answer whether the organisation's ids are
read whole (a small organisation) or only the file's are looked up (an organisation holding
many more rows than the file: reading ten million ids took 6 GB), on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd

from workbench.schema import conform
from workbench.store import repositories as repo
from workbench.store.db import open_store


def _store(db_url, n: int):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Storkommun")
        other = repo.ensure_organisation(conn, "Grannen")
    frame = pd.DataFrame({"source_id": [f"5000-K{i:07d}-25" for i in range(n)], "category": "stold",
                          "occurred_from": pd.Timestamp("2026-01-01 10:00"), "x": 377000.0, "y": 6399000.0,
                          "precision": "exact"})
    rows = conform(frame, "incident")
    with store.transaction() as conn:
        repo.insert_rows(conn, "incident", rows.assign(source="police", organisation_id=org))
        few = min(n, 50)
        repo.insert_rows(conn, "incident", rows.head(few).assign(source="municipality", organisation_id=org,
                                                                 source_id=[f"M-{i}" for i in range(few)]))
        repo.insert_rows(conn, "incident", rows.assign(source="police", organisation_id=other,
                                                       source_id=[f"G-{i}" for i in range(n)]))
    return store, org


def test_a_small_file_against_a_large_organisation_looks_up_only_its_ids(db_url, monkeypatch):
    store, org = _store(db_url, 12_000)
    file_ids = ["5000-K0000003-25", "5000-K0011999-25", "nytt-1", "M-3", "G-5", "5000-K0012000-25"]
    from sqlalchemy import event

    statements: list[str] = []
    monkeypatch.setattr(repo, "LOOKUP_CHUNK", 4)  # several chunks
    with store.engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        got = repo.existing_source_ids(conn, "incident", org, "police", among=file_ids)
        looked_up = [s for s in statements if "source_id IN" in s]
        whole = repo.existing_source_ids(conn, "incident", org, "police")
    assert len(looked_up) == 2  # 6 ids in chunks of 4, by the unique index
    assert got == {"5000-K0000003-25", "5000-K0011999-25"}  # another source or organisation is not it
    assert got == whole & set(file_ids) and len(whole) == 12_000


def test_a_large_file_against_a_small_organisation_reads_the_ids_whole(db_url):
    store, org = _store(db_url, 30)
    file_ids = [f"5000-K{i:07d}-25" for i in range(20, 200)]
    with store.engine.connect() as conn:
        got = repo.existing_source_ids(conn, "incident", org, "police", among=file_ids)
    assert got >= {f"5000-K{i:07d}-25" for i in range(20, 30)}
    assert got & set(file_ids) == {f"5000-K{i:07d}-25" for i in range(20, 30)}
