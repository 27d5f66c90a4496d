"""User accounts and memberships (role per organisation); passwords as Argon2id hashes.

A local account has a password hash; an OIDC identity (e.g. Microsoft Entra ID) is an account
without one, matched on its e-mail. Every change is audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from workbench import roles
from workbench.errors import NotFoundError, WorkbenchError
from workbench.store import tables as t
from workbench.store.repositories import audit

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
# Verified against when the user does not exist, so a wrong name costs as much as a wrong password.


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against for unknown users (same time as a wrong password); made on first
    use, not at import (argon2 costs every command that imports this module 0.1 s)."""
    return _HASHER.hash("ingen-sadan-anvandare")


class AccountError(WorkbenchError):
    """An account cannot be created or changed as asked (Swedish message)."""


@dataclass(frozen=True)
class MembershipRow:
    organisation_id: int
    organisation: str
    police_area: str | None
    role: str
    areas: tuple[str, ...] | None
    verksamhet: str | None = None  # reporter: the verksamhet it reports for


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str | None
    local: bool  # has a password (else: signs in through OIDC)
    active: bool
    memberships: tuple[MembershipRow, ...]
    last_sign_in_at: datetime | None


def normalise(username: str) -> str:
    value = str(username).strip().lower()
    if not value or len(value) > 200 or any(c.isspace() for c in value):
        raise AccountError(f"Användarnamnet '{username}' ska vara 1–200 tecken utan mellanslag.")
    return value


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    return _HASHER.hash(password)


def _password_ok(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _org_id(conn: Connection, organisation: str) -> int:
    row = conn.execute(select(t.Organisation.id).where(t.Organisation.name == organisation)).first()
    if row is None:
        raise NotFoundError(f"Organisationen '{organisation}' finns inte i databasen.")
    return int(row[0])


def add_user(engine: Engine, username: str, *, organisation: str, role: str,
             password: str | None, display_name: str | None = None,
             areas: list[str] | None = None, verksamhet: str | None = None, actor: str) -> int:
    """Create an account (or add a membership to an existing one); returns the account id.

    ``password=None`` makes an OIDC-only account. A second call for the same user and another
    organisation adds that membership; the same organisation changes the role. A reporter's
    membership names its ``verksamhet``; no other role has one."""
    name = normalise(username)
    try:
        roles.role(role)
    except ValueError as exc:
        raise AccountError(f"Rollen: {exc}.") from None
    if areas and not roles.ROLES[role].own_areas_only:
        raise AccountError(f"Områden gäller bara rollen housing, inte {role}.")
    verksamhet = " ".join((verksamhet or "").split()) or None
    reporting_roles = ", ".join(n for n, r in roles.ROLES.items() if r.reports_for_verksamhet)
    if verksamhet and not roles.ROLES[role].reports_for_verksamhet:
        raise AccountError(f"Verksamhet gäller bara rollen {reporting_roles}, inte {role}.")
    if roles.ROLES[role].reports_for_verksamhet and not verksamhet:
        raise AccountError(f"Rollen {role} behöver den verksamhet den rapporterar för, t.ex. "
                           "--verksamhet \"Bostadsbolaget – Hässleholmen\".")
    if verksamhet and len(verksamhet) > 200:
        raise AccountError("Verksamhetens namn får vara högst 200 tecken.")
    hashed = hash_password(password) if password is not None else None
    with engine.begin() as conn:
        org_id = _org_id(conn, organisation)
        if areas:
            known = set(conn.execute(select(t.Area.name).where(t.Area.organisation_id == org_id)).scalars())
            missing = [a for a in areas if a not in known]
            if missing:
                raise AccountError(f"Områdena {', '.join(missing)} finns inte i {organisation}.")
        existing = conn.execute(select(t.UserAccount).where(t.UserAccount.username == name)).first()
        if existing is None:
            user_id = conn.execute(insert(t.UserAccount).values(
                username=name, display_name=display_name, password_hash=hashed, active=True,
            ).returning(t.UserAccount.id)).scalar_one()
        else:
            user_id = int(existing.id)
            values: dict[str, Any] = {"active": True}
            if hashed is not None:
                values["password_hash"] = hashed
            if display_name:
                values["display_name"] = display_name
            conn.execute(update(t.UserAccount).where(t.UserAccount.id == user_id).values(**values))
        before = conn.execute(select(t.Membership.role, t.Membership.areas, t.Membership.verksamhet).where(
            t.Membership.user_id == user_id, t.Membership.organisation_id == org_id)).first()
        conn.execute(delete(t.Membership).where(t.Membership.user_id == user_id,
                                                t.Membership.organisation_id == org_id))
        conn.execute(insert(t.Membership).values(user_id=user_id, organisation_id=org_id, role=role,
                                                 areas=list(areas) if areas else None,
                                                 verksamhet=verksamhet))
        audit(conn, actor=actor, verb="user_add" if before is None else "user_change", entity="user",
              entity_id=name, organisation_id=org_id,
              before=None if before is None else {"role": before.role, "areas": before.areas,
                                                  "verksamhet": before.verksamhet},
              after={"role": role, "areas": areas or None, "verksamhet": verksamhet,
                     "local": hashed is not None or
                     (existing is not None and existing.password_hash is not None)})
    return int(user_id)


def remove_user(engine: Engine, username: str, *, organisation: str | None = None, actor: str) -> None:
    """Remove the user's membership of ``organisation``, or the whole account (None)."""
    name = normalise(username)
    with engine.begin() as conn:
        row = conn.execute(select(t.UserAccount.id).where(t.UserAccount.username == name)).first()
        if row is None:
            raise NotFoundError(f"Användaren '{name}' finns inte.")
        user_id = int(row[0])
        memberships = conn.execute(select(t.Membership.organisation_id, t.Membership.role).where(
            t.Membership.user_id == user_id)).all()
        if organisation is not None:
            org_id = _org_id(conn, organisation)
            memberships = [m for m in memberships if m.organisation_id == org_id]
            if not memberships:
                raise NotFoundError(f"Användaren '{name}' har ingen roll i {organisation}.")
            conn.execute(delete(t.Membership).where(t.Membership.user_id == user_id,
                                                    t.Membership.organisation_id == org_id))
        else:
            conn.execute(delete(t.Membership).where(t.Membership.user_id == user_id))
            conn.execute(delete(t.UserAccount).where(t.UserAccount.id == user_id))
        for m in memberships:
            audit(conn, actor=actor, verb="user_remove", entity="user", entity_id=name,
                  organisation_id=int(m.organisation_id), before={"role": m.role})
        if not memberships:
            audit(conn, actor=actor, verb="user_remove", entity="user", entity_id=name)


def _memberships(conn: Connection, user_ids: list[int]) -> dict[int, list[MembershipRow]]:
    rows = conn.execute(
        select(t.Membership.user_id, t.Membership.organisation_id, t.Organisation.name,
               t.Organisation.police_area, t.Membership.role, t.Membership.areas,
               t.Membership.verksamhet)
        .join(t.Organisation, t.Organisation.id == t.Membership.organisation_id)
        .where(t.Membership.user_id.in_(user_ids)).order_by(t.Organisation.name)
    ).all()
    out: dict[int, list[MembershipRow]] = {}
    for r in rows:
        out.setdefault(int(r.user_id), []).append(MembershipRow(
            int(r.organisation_id), r.name, r.police_area, r.role,
            tuple(r.areas) if r.areas else None, r.verksamhet))
    return out


def _accounts(engine: Engine, *where: Any) -> list[Account]:
    with engine.connect() as conn:
        users = conn.execute(select(t.UserAccount).where(*where).order_by(t.UserAccount.username)).all()
        members = _memberships(conn, [int(u.id) for u in users])
    return [Account(int(u.id), u.username, u.display_name, u.password_hash is not None, bool(u.active),
                    tuple(members.get(int(u.id), [])), u.last_sign_in_at) for u in users]


def list_users(engine: Engine) -> list[Account]:
    return _accounts(engine)


def get_user(engine: Engine, username: str) -> Account | None:
    try:
        name = normalise(username)
    except AccountError:
        return None
    return next(iter(_accounts(engine, t.UserAccount.username == name)), None)


def count_users(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.UserAccount)).scalar_one())


def verify_password(engine: Engine, username: str, password: str) -> Account | None:
    """The account when the name and password match an active local account, else None
    (the same work is done for an unknown name, so timing does not tell names apart)."""
    try:
        name = normalise(username)
    except AccountError:
        name = ""
    with engine.connect() as conn:
        row = conn.execute(select(t.UserAccount.password_hash, t.UserAccount.active)
                           .where(t.UserAccount.username == name)).first()
    stored = row.password_hash if row is not None else None
    if not _password_ok(stored, password) or row is None or not row.active:
        return None
    assert stored is not None  # _password_ok is False without a stored hash
    if _HASHER.check_needs_rehash(stored):
        with engine.begin() as conn:
            conn.execute(update(t.UserAccount).where(t.UserAccount.username == name)
                         .values(password_hash=_HASHER.hash(password)))
    return get_user(engine, name)


def recent_failures(engine: Engine, username: str, *, minutes: int = 15) -> int:
    """Failed sign-ins for ``username`` in the last ``minutes`` (throttles password guessing)."""
    since = datetime.now() - timedelta(minutes=minutes)
    table = t.AuditLog.__table__
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(
            table.c.verb == "sign_in_failed", table.c.actor == str(username).strip().lower()[:200],
            table.c.at >= since)).scalar_one())


def record_sign_in(engine: Engine, account: Account | None, *, username: str, method: str,
                   success: bool, organisation_id: int | None = None) -> None:
    """Audit one sign-in attempt (and stamp the account's last sign-in when it succeeded). A
    failure for a known name is logged in that account's organisations, where the coordinator
    reads the log."""
    named = account or (get_user(engine, username) if not success else None)
    orgs: list[int | None] = [m.organisation_id for m in named.memberships] if named else []
    with engine.begin() as conn:
        if success and account is not None:
            conn.execute(update(t.UserAccount).where(t.UserAccount.id == account.id)
                         .values(last_sign_in_at=datetime.now()))
        for org_id in orgs or [organisation_id]:
            audit(conn, actor=(account.username if account else str(username).strip().lower()[:200]),
                  verb="sign_in" if success else "sign_in_failed", entity="session",
                  entity_id=method, organisation_id=org_id)
