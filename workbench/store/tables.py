"""SQLAlchemy tables of the data model (see DESIGN.md). Geometry is EPSG:3006: WKB plus x/y."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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
from sqlalchemy import (
    true as sa_true,
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


class ImportProfile(Base):
    """A saved column mapping for one kind of file, so next week's file imports in one click."""

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    name: Mapped[str] = mapped_column(String(200))
    source_kind: Mapped[str] = mapped_column(String(40))
    mapping: Mapped[dict] = mapped_column(JSON)
    crs: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class CategoryMapping(Base):
    """The organisation's own mapping of an original category to a normalised one."""

    __tablename__ = "category_mapping"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "original"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    kind: Mapped[str] = mapped_column(String(30))
    original: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))


class AreaIndicator(Base):
    """A value per area and year: trygghetsundersökning results, problem index, population."""

    __tablename__ = "area_indicator"
    __table_args__ = (UniqueConstraint("area_id", "year", "indicator"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(200))
    value: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class PlanArea(Base):
    """A planned area (detaljplan, planprogram) checked for trygghet; its current outline and
    buffer. Every save of the check is kept as a :class:`PlanAssessment` version."""

    __tablename__ = "plan_area"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))  # planbeteckning / diarienummer
    source: Mapped[str | None] = mapped_column(String(300))  # the uploaded file, or "ritad i kartan"
    geom_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    buffer_m: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)


class PlanAssessment(Base):
    """One saved version of a plan's check: outline, buffer, period, the BoTryggt checklist
    (assessment, comment and the data's suggestion per area) and the key figures as shown."""

    __tablename__ = "plan_assessment"
    __table_args__ = (UniqueConstraint("plan_area_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_area_id: Mapped[int] = mapped_column(ForeignKey("plan_area.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(200))
    geom_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    buffer_m: Mapped[float] = mapped_column(Float)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    checklist: Mapped[list] = mapped_column(JSON)
    figures: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)  # what changed, in the planner's words


class UserAccount(Base):
    """A person who signs in: a local account (Argon2id hash) or an OIDC identity (no hash)."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)  # lower case; e-mail for OIDC
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime)


class Membership(Base):
    """A user's role in one organisation (areas: the housing company's own areas, by name;
    verksamhet: what a reporter reports for, e.g. "Bostadsbolaget – Hässleholmen")."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = _org_fk()
    role: Mapped[str] = mapped_column(String(30))
    areas: Mapped[list | None] = mapped_column(JSON)
    verksamhet: Mapped[str | None] = mapped_column(String(200))


class AuditLog(Base):
    """Append-only: who did what, when, with the row before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    verb: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(50))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_log_org_at", "organisation_id", "at"),)


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

ALL_TABLES = tuple(Base.metadata.sorted_tables)
