"""The shared declarative base and the tables every other table hangs on: organisations, import
batches, areas, places and the two point sources (incidents, felanmälningar). Geometry is
EPSG:3006: WKB plus x/y. `workbench.store.tables` gathers every table module."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:  # every mapped class here has a Table, not just any FromClause
        __table__: ClassVar[Table]


def _org_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


class Organisation(Base):
    """A kommun (or another party) that owns rows; several can share one police area."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), default="kommun")
    municipality_code: Mapped[str | None] = mapped_column(String(4))
    police_area: Mapped[str | None] = mapped_column(String(200))
    boundary_wkb: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ImportBatch(Base):
    """One import of one file: what, from where, who, when, and what came of it."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    source_kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(200), default="system")
    imported_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    n_imported: Mapped[int] = mapped_column(Integer, default=0)
    n_duplicates: Mapped[int] = mapped_column(Integer, default=0)
    n_rejected: Mapped[int] = mapped_column(Integer, default=0)
    n_redacted: Mapped[int] = mapped_column(Integer, default=0)
    crs: Mapped[str | None] = mapped_column(String(20))
    problems: Mapped[list | None] = mapped_column(JSON)


class _PointRow:
    """Columns shared by every point-like data row."""

    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    geom_wkb: Mapped[bytes | None] = mapped_column(LargeBinary)
    precision: Mapped[str] = mapped_column(String(10))


class _SourcedRow(_PointRow):
    """Columns shared by incidents and fault reports: who owns the row and where it came from."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    category_original: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    area_code: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    # The source gave only a date: the row counts per day but stays out of hour-of-day figures.
    date_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Area(Base):
    """A district (or another area layer: grannsamverkan, utsatt område, planned area)."""

    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("organisation_id", "layer", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    layer: Mapped[str] = mapped_column(String(40), default="district")
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(50))
    population: Mapped[int | None] = mapped_column(Integer)
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    geom_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


class Place(Base):
    """A named location the group works on: a polygon, or a point with a radius."""

    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(50))
    radius_m: Mapped[float | None] = mapped_column(Float)
    geom_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


class Incident(_SourcedRow, Base):
    """One police-registered event, anonymised."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("organisation_id", "source", "source_id"),
        Index("ix_incident_org_time", "organisation_id", "occurred_from"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_from: Mapped[datetime] = mapped_column(DateTime)
    occurred_to: Mapped[datetime | None] = mapped_column(DateTime)


class FaultReport(_SourcedRow, Base):
    """A felanmälan from the municipality or the housing company."""

    __tablename__ = "fault_report"
    __table_args__ = (
        UniqueConstraint("organisation_id", "source", "source_id"),
        Index("ix_fault_report_org_time", "organisation_id", "reported_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str | None] = mapped_column(String(50))
