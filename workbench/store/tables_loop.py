"""Tables of the EST loop: lägesbild per area (situation), orsaksanalys, agreements with focus
areas and commitments, medborgarlöfte promises, åtgärder and what they answer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.tables_core import Base, _org_fk


class Situation(Base):
    """A lägesbild of one EST meeting: period, areas on the agenda, statuses per area, notes, and
    once closed a frozen snapshot of everything shown (never changed afterwards)."""

    __tablename__ = "situation"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    meeting_date: Mapped[date] = mapped_column(Date)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_kind: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(300))
    area_ids: Mapped[list | None] = mapped_column(JSON)
    area_statuses: Mapped[dict | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    public_summary: Mapped[str | None] = mapped_column(Text)
    attendees: Mapped[list | None] = mapped_column(JSON)  # [{"organisation", "role"}], roles not names
    adjusted_by: Mapped[str | None] = mapped_column(String(300))  # justeras av (role, organisation)
    next_meeting: Mapped[date | None] = mapped_column(Date)
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(200))
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CauseAnalysis(Base):
    """Why a problem occurs at a place: problem triangle, whys, hypotheses, evidence snapshot."""

    __tablename__ = "cause_analysis"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    problem: Mapped[str] = mapped_column(Text)
    triangle: Mapped[dict | None] = mapped_column(JSON)
    whys: Mapped[list | None] = mapped_column(JSON)
    hypotheses: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)


class Agreement(Base):
    """A samverkansöverenskommelse or a medborgarlöfte (``kind``)."""

    __tablename__ = "agreement"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    kind: Mapped[str] = mapped_column(String(30), default="agreement")
    title: Mapped[str] = mapped_column(String(500))
    parties: Mapped[list | None] = mapped_column(JSON)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    source_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class FocusArea(Base):
    """A theme of an agreement, e.g. 'Skapa trygga offentliga miljöer'."""

    __tablename__ = "focus_area"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Commitment(Base):
    """One promise of one party (or jointly) within a focus area."""

    __tablename__ = "commitment"
    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(ForeignKey("focus_area.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(200))
    party_kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CitizenPromise(Base):
    """One item of a medborgarlöfte (an agreement row of kind ``citizen_promise``)."""

    __tablename__ = "citizen_promise"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    party: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Action(Base):
    """What someone will do about a cause; versioned so concurrent edits are detected."""

    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    text: Mapped[str] = mapped_column(Text)
    responsible_party: Mapped[str] = mapped_column(String(200))
    responsible_role: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planerad")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    cause_analysis_id: Mapped[int | None] = mapped_column(
        ForeignKey("cause_analysis.id", ondelete="SET NULL")
    )
    follow_up_method: Mapped[str | None] = mapped_column(Text)
    situation_id: Mapped[int | None] = mapped_column(
        ForeignKey("situation.id", ondelete="SET NULL")
    )  # the EST meeting that decided it
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("area.id", ondelete="SET NULL")
    )  # the area it concerns when it has no place (else the place's area)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # återkoppling
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)


class ActionCommitment(Base):
    """Link: an action answers to one or more commitments of an agreement."""

    __tablename__ = "action_commitment"
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True
    )


class ActionCitizenPromise(Base):
    """Link: an action fulfils one or more medborgarlöfte items."""

    __tablename__ = "action_citizen_promise"
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), primary_key=True
    )
    citizen_promise_id: Mapped[int] = mapped_column(
        ForeignKey("citizen_promise.id", ondelete="CASCADE"), primary_key=True
    )
