"""Tables around the data: import profiles and category mappings, area indicators, plan areas
and their trygghetsbedömningar, user accounts with memberships, and the audit log."""

from __future__ import annotations

from datetime import date, datetime

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
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import (
    true as sa_true,
)
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.tables_core import Base, _org_fk


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
