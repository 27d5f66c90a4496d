"""Tables of what people in the verksamheter report: trygghetsvandringar with their
observations, weekly reports with observations, and the åtgärder that answer them (with the
felanmälan link)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.tables_core import Base, _org_fk, _PointRow


class SafetyWalk(Base):
    """A trygghetsvandring: date, area and who took part (roles/organisations, never names)."""

    __tablename__ = "safety_walk"
    __table_args__ = (UniqueConstraint("organisation_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    ref: Mapped[str] = mapped_column(String(100))
    walk_date: Mapped[date] = mapped_column(Date)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    area_name: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    route_wkb: Mapped[bytes | None] = mapped_column(LargeBinary)  # a line drawn when planning
    status: Mapped[str] = mapped_column(String(20), default="done", server_default="done")  # planned/done
    created_by: Mapped[str | None] = mapped_column(String(200))  # planned in the app by


class WalkObservation(_PointRow, Base):
    """One note from a walk: a point, a category, a comment, a priority."""

    __tablename__ = "walk_observation"
    __table_args__ = (UniqueConstraint("walk_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    walk_id: Mapped[int] = mapped_column(ForeignKey("safety_walk.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    category_original: Mapped[str | None] = mapped_column(String(200))
    observed_at: Mapped[datetime] = mapped_column(DateTime)
    priority: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    photo_ref: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str | None] = mapped_column(String(50))
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it was closed without an åtgärd
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))


class WalkObservationAction(Base):
    """An åtgärd answering a walk observation (one åtgärd can answer several observations)."""

    __tablename__ = "walk_observation_action"
    walk_observation_id: Mapped[int] = mapped_column(
        ForeignKey("walk_observation.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True)


class WeeklyReport(Base):
    """One verksamhet's weekly inrapportering (ISO week); ``nothing_to_report`` is a nil report."""

    __tablename__ = "weekly_report"
    __table_args__ = (UniqueConstraint("organisation_id", "verksamhet", "iso_year", "iso_week"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    verksamhet: Mapped[str] = mapped_column(String(200))
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    nothing_to_report: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class Observation(Base):
    """What a reporter (or a walk) saw: category, point (EPSG:3006) or place or area, time or
    span, a scanned description, the reporter's assessment and its status towards an åtgärd."""

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("weekly_report.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(200))
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(200))
    occurred_from: Mapped[datetime] = mapped_column(DateTime)
    occurred_to: Mapped[datetime | None] = mapped_column(DateTime)
    description: Mapped[str | None] = mapped_column(Text)
    assessment: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(40), default="ny")
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ObservationAction(Base):
    """An åtgärd answering an observation (one åtgärd can answer several observations)."""

    __tablename__ = "observation_action"
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observation.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True)



class FaultReportAction(Base):
    """An åtgärd answering a felanmälan (one åtgärd can answer several fault reports)."""

    __tablename__ = "fault_report_action"
    fault_report_id: Mapped[int] = mapped_column(
        ForeignKey("fault_report.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True)
