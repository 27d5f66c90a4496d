"""Store round trips, migrations and failure modes — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry import box

from workbench.errors import DatabaseOpenError, SchemaTooNewError
from workbench.schema import KIND_INCIDENT
from workbench.store import repositories as repo
from workbench.store import tables as t
from workbench.store.db import close_store, head_revision, open_store

EXPECTED_TABLES = {
    "organisation", "import_batch", "incident", "fault_report", "safety_walk", "walk_observation",
    "area", "place", "situation", "cause_analysis", "action", "agreement", "focus_area",
    "commitment", "citizen_promise", "audit_log", "action_commitment", "action_citizen_promise",
}


def test_migration_from_empty_creates_every_table(db_url):
    store = open_store(db_url)
    names = set(sa.inspect(store.engine).get_table_names())
    assert EXPECTED_TABLES <= names
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == head_revision()


def test_reopening_is_a_no_op(db_url):
    open_store(db_url)
    close_store(db_url)
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from alembic_version")).scalar() == 1


def test_round_trip_of_every_kind_of_row(db_url):
    store = open_store(db_url)
    area = box(377000, 6399000, 378000, 6400000)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "Testkommun", police_area="LPO Test")
        areas = pd.DataFrame({"name": ["Centrum"], "code": ["C1"], "population": [1200],
                              "approximate": [False]})
        import geopandas as gpd
        repo.upsert_areas(conn, org, "district", gpd.GeoDataFrame(areas, geometry=[area], crs=3006))
        area_id = conn.execute(sa.select(t.Area.id)).scalar()
        batch = repo.create_batch(conn, org, source_kind="incidents", file_name="f.csv",
                                  content_hash="abc", actor="test", crs="EPSG:3006")
        rows = pd.DataFrame({
            "organisation_id": [org, org], "batch_id": [batch, batch], "source": ["police"] * 2,
            "source_id": ["K1", "K2"], "category": ["misshandel", "klotter"],
            "category_original": ["Misshandel, utomhus", "Klotter"],
            "occurred_from": pd.to_datetime(["2025-03-01 22:10", "2025-03-02 01:00"]),
            "occurred_to": pd.to_datetime([None, "2025-03-02 06:00"]),
            "x": [377500.0, None], "y": [6399500.0, None], "precision": ["exact", "area"],
            "area_code": [None, "C1"], "description": ["Fönster krossat – «citat» & <b>", None],
            "area_id": [area_id, area_id],
        })
        repo.insert_rows(conn, KIND_INCIDENT, rows)
        action = conn.execute(sa.insert(t.Action.__table__).values(
            organisation_id=org, text="Klottersanering inom 24 h", responsible_party="Kommunen",
            start_date=date(2025, 3, 1), status="pågår")).inserted_primary_key[0]
        repo.audit(conn, actor="test", verb="insert", entity="action", entity_id=action,
                   after={"text": "Klottersanering inom 24 h", "start": date(2025, 3, 1)},
                   organisation_id=org)
    loaded = repo.load_points(store.engine, KIND_INCIDENT, [org])
    assert list(loaded["source_id"]) == ["K1", "K2"]
    assert loaded["occurred_from"].iloc[0] == pd.Timestamp("2025-03-01 22:10")
    assert pd.isna(loaded["occurred_to"].iloc[0])
    assert loaded["occurred_to"].iloc[1] == pd.Timestamp("2025-03-02 06:00")
    assert loaded["description"].iloc[0] == "Fönster krossat – «citat» & <b>"
    assert loaded["x"].iloc[0] == 377500.0 and pd.isna(loaded["x"].iloc[1])
    assert list(loaded["area_id"]) == [area_id, area_id]
    with store.engine.connect() as conn:
        wkbs = conn.execute(sa.select(t.Incident.geom_wkb).order_by(t.Incident.source_id)).scalars().all()
    assert shapely.equals(shapely.from_wkb(wkbs[0]), shapely.Point(377500, 6399500))
    assert wkbs[1] is None  # area precision: no point at all
    back = repo.load_areas(store.engine, [org])
    assert back["name"].tolist() == ["Centrum"] and int(back["population"].iloc[0]) == 1200
    assert shapely.equals(back.geometry.iloc[0], area)
    with store.engine.connect() as conn:
        entry = conn.execute(sa.select(t.AuditLog.__table__)).mappings().one()
    assert entry["after"] == {"text": "Klottersanering inom 24 h", "start": "2025-03-01"}
    assert isinstance(entry["at"], datetime)


def test_a_failing_transaction_leaves_nothing(db_url):
    store = open_store(db_url)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        repo.ensure_organisation(conn, "Halvfärdig")
        raise RuntimeError("krasch mitt i")
    assert repo.list_organisations(store.engine).empty


def test_unique_source_ids_per_organisation(db_url):
    store = open_store(db_url)
    row = {"source": "police", "source_id": "K1", "category": "stold",
           "occurred_from": datetime(2025, 1, 1), "precision": "area"}
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "A")
        conn.execute(sa.insert(t.Incident.__table__).values(organisation_id=org, **row))
    with pytest.raises(sa.exc.IntegrityError), store.transaction() as conn:
        conn.execute(sa.insert(t.Incident.__table__).values(organisation_id=org, **row))


def test_database_from_a_newer_program_is_refused_untouched(sqlite_url):
    store = open_store(sqlite_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("update alembic_version set version_num = '9999_future'"))
    close_store(sqlite_url)
    with pytest.raises(SchemaTooNewError, match="nyare"):
        open_store(sqlite_url)
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == "9999_future"
    engine.dispose()


def test_unopenable_urls_give_clear_messages(tmp_path):
    not_a_db = tmp_path / "fil.sqlite"
    not_a_db.write_text("det här är ingen databas")
    with pytest.raises(DatabaseOpenError, match="ingen användbar databas"):
        open_store(f"sqlite:///{not_a_db}")
    with pytest.raises(DatabaseOpenError, match="Kan inte öppna databasen"):
        open_store("postgresql+psycopg://nobody:hemligt@127.0.0.1:1/none")
    with pytest.raises(DatabaseOpenError) as info:
        open_store("postgresql+psycopg://nobody:hemligt@127.0.0.1:1/none")
    assert "hemligt" not in str(info.value)
    with pytest.raises(DatabaseOpenError, match="stöds inte"):
        open_store("oracle+nosuchdriver://x@y/z")


def test_sqlite_runs_in_wal_mode(sqlite_url):
    store = open_store(sqlite_url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_upgrade_from_the_first_schema_keeps_the_data(db_url):
    """A database written by the first release gets the new tables and keeps its rows."""
    from alembic import command

    from workbench.store.db import _alembic_config, _create_engine

    engine = _create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(sa.text("insert into organisation (name, kind) values ('Gamla kommunen', 'kommun')"))
    engine.dispose()
    store = open_store(db_url)
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"import_profile", "category_mapping", "area_indicator"} <= names
    assert repo.list_organisations(store.engine)["name"].tolist() == ["Gamla kommunen"]


def test_load_events_reads_every_source_with_time_bounds(db_url):
    store = open_store(db_url)
    with store.transaction() as conn:
        org = repo.ensure_organisation(conn, "K")
        base = {"organisation_id": org, "source": "police", "category": "stold",
                "category_original": "Stöld", "precision": "exact", "x": 377000.0, "y": 6399000.0}
        rows = pd.DataFrame([dict(base, source_id="a", occurred_from=datetime(2025, 1, 1, 0, 0)),
                             dict(base, source_id="b", occurred_from=datetime(2025, 1, 31, 23, 59)),
                             dict(base, source_id="c", occurred_from=datetime(2025, 2, 1, 0, 0))])
        repo.insert_rows(conn, KIND_INCIDENT, rows)
        reports = pd.DataFrame([{"organisation_id": org, "source": "housing", "source_id": "r1",
                                 "category": "klotter", "reported_at": datetime(2025, 1, 15, 8),
                                 "precision": "area", "x": None, "y": None}])
        repo.insert_rows(conn, "fault_report", reports)
    events = repo.load_events(store.engine, [org], start=datetime(2025, 1, 1), end=datetime(2025, 2, 1))
    assert sorted(events["kind"].astype(str)) == ["fault_report", "incident", "incident"]
    assert events["time"].min() == pd.Timestamp("2025-01-01 00:00")
    assert events["time"].max() == pd.Timestamp("2025-01-31 23:59")
    assert set(events["source"].astype(str)) == {"police", "housing"}
    assert events.loc[events["kind"] == "fault_report", "x"].isna().all()


def test_models_and_migrations_describe_the_same_schema(db_url):
    """A model changed without a migration (or the other way round) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = open_store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                t.Base.metadata)
    assert diff == []
