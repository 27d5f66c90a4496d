"""Shared fixtures: database URLs (SQLite always, PostgreSQL when CI provides one) and the demo DB."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from workbench.store.db import close_store, open_store

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PG_ENV = "WORKBENCH_TEST_PG_URL"


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, read in place; skip (visibly) when the folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data saknas: {path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    yield url
    close_store(url)


def _fresh_pg_database(base_url: str) -> str:
    """A new, empty database on the CI PostgreSQL server for one test."""
    name = f"wb_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return str(sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """Every store test runs on SQLite and on PostgreSQL (skipped with a reason when no URL)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(f"PostgreSQL-test: {PG_ENV} är inte satt (.ci/run sätter den)")
        url = _fresh_pg_database(base)
    yield url
    close_store(url)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """A SQLite database with the demo town loaded once for the whole session."""
    from workbench.demo.load import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    load_demo(open_store(url))
    return url
