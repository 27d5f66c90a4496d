"""Principal (who is signed in) and Scope (what they may reach in one organisation).

A Scope is only made by :func:`open_scope`, from the principal's memberships as stored; the
organisation a page or command asks for is a request, never a grant. A police membership reaches
every organisation of the same police area; a housing membership only its own areas.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from workbench import roles
from workbench.errors import AccessDenied, NotFoundError
from workbench.store import accounts
from workbench.store import tables as t
from workbench.store.accounts import MembershipRow
from workbench.store.db import Store

SIGN_IN_METHODS = ("local", "oidc", "single-user", "operator")
# What the demo (no sign-in, a chosen role everywhere) reports for when the reporter role is chosen.
DEMO_VERKSAMHET = "Demoverksamhet (demoläge)"


@dataclass(frozen=True)
class Principal:
    """A signed-in person (or the single-user demo, or the operator running the CLI)."""

    username: str
    display_name: str
    method: str  # one of SIGN_IN_METHODS
    memberships: tuple[MembershipRow, ...] = ()
    role_everywhere: str | None = None  # single-user (chosen role) and operator: every organisation
    areas_everywhere: tuple[str, ...] | None = None  # single-user housing: its areas by name

    @property
    def actor(self) -> str:
        return self.username if self.method != "operator" else f"cli:{self.username}"


@dataclass(frozen=True)
class Scope:
    """What one principal may do in one organisation. Frozen and hashable (a cache key)."""

    username: str
    actor: str
    method: str
    role: str
    organisation_id: int
    organisation: str
    police_area: str | None
    readable_ids: tuple[int, ...]  # organisations whose rows may be read (police: its police area)
    area_ids: tuple[int, ...] | None  # housing: its own areas; None = every area
    permissions: frozenset[str]
    points: bool
    always_suppress: bool
    verksamhet: str | None = None  # reporter: the verksamhet it reports for (from the membership)

    @property
    def role_label(self) -> str:
        return roles.ROLES[self.role].label if self.role in roles.ROLES else self.role

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        """Raise AccessDenied (Swedish) unless the role has ``permission``."""
        if permission not in self.permissions:
            raise AccessDenied(f"Rollen {self.role_label} i {self.organisation} får inte "
                               f"{PERMISSION_TEXT.get(permission, permission)}.")

    def suppress(self, shared_screen: bool) -> bool:
        """Whether small counts are hidden: always for aggregated roles, else on a shared screen."""
        return self.always_suppress or shared_screen

    def require_readable(self, organisation_id: int) -> None:
        if int(organisation_id) not in self.readable_ids:
            raise AccessDenied(f"{self.username or self.role_label} har ingen behörighet till den "
                               "organisationen.")

    def shared(self) -> Scope:
        """The same access without the person holding it: what cached reads are keyed by, so
        everyone with the same role, organisation and areas shares one cached copy (20 people
        at a meeting, one read of a million events, not twenty). Reads never depend on who
        asks; changes and exports take the full scope, whose actor goes into the audit log."""
        return replace(self, username="", actor="", method="")


PERMISSION_TEXT = {
    roles.READ_AGGREGATES: "se sammanställda siffror",
    roles.READ_POINTS: "se data på punktnivå (hot-spots, händelser vid platser)",
    roles.READ_LOOP: "se EST-arbetet (platser, orsaksanalyser, åtgärder, möten, överenskommelse)",
    roles.EDIT_LOOP: "ändra i EST-arbetet",
    roles.IMPORT: "importera filer",
    roles.PLANNING: "använda trygghetsbedömningen av planområden",
    roles.EXPORT: "ta ut rapporter och exporter",
    roles.POLICE_AREA: "se siffror för hela polisområdet",
    roles.AUDIT: "läsa händelseloggen",
    roles.REPORT: "rapportera veckans iakttagelser (inrapportering)",
    roles.ADMINISTER: "ändra organisationens inställningar",
    roles.RECORD_WALK: "registrera iakttagelser på trygghetsvandringar",
}


def operator(name: str) -> Principal:
    """The person running the CLI on the server without --user: whoever can open the database
    file or URL can read it anyway, so the operator has every permission (and is audited)."""
    return Principal(name, name, "operator", role_everywhere="coordinator")


# The housing company of the laptop demo owns these areas of the demo town (workbench/demo: its
# reports lie in Hässleholmen, Hulta, Sjöbo and Norrby), so the tour shows the limited view.
DEMO_HOUSING_AREAS = ("Norrby", "Hässleholmen")


def single_user(role: str = "coordinator") -> Principal:
    """The laptop demo: no sign-in, one person, the chosen role in every organisation (a role
    limited to its own areas gets DEMO_HOUSING_AREAS, those of them the organisation has)."""
    limited = roles.role(role).own_areas_only
    return Principal("demo", "Demoläge (ingen inloggning)", "single-user", role_everywhere=role,
                     areas_everywhere=DEMO_HOUSING_AREAS if limited else None)


def from_account(account: accounts.Account, method: str) -> Principal:
    return Principal(account.username, account.display_name or account.username, method,
                     account.memberships)


def _organisations(store: Store) -> list[tuple[int, str, str | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.Organisation.id, t.Organisation.name, t.Organisation.police_area)
                            .order_by(t.Organisation.name)).all()
    return [(int(r.id), r.name, r.police_area) for r in rows]


def _grant(principal: Principal, org: tuple[int, str, str | None],
           orgs: list[tuple[int, str, str | None]]) -> tuple[str, tuple[int, ...], tuple[str, ...] | None] | None:
    """(role, readable organisation ids, area names) of the principal in ``org``, or None."""
    org_id, _, police_area = org
    role: roles.Role | None
    readable: tuple[int, ...]
    if principal.role_everywhere is not None:
        role = roles.ROLES[principal.role_everywhere]
        same_area = tuple(i for i, _, pa in orgs if police_area and pa == police_area)
        readable = (same_area or (org_id,)) if role.police_area_wide else (org_id,)
        if principal.method == "operator":
            readable = tuple(i for i, _, _ in orgs)
        return principal.role_everywhere, readable, principal.areas_everywhere
    own = next((m for m in principal.memberships if m.organisation_id == org_id), None)
    if own is not None:
        role = roles.ROLES.get(own.role)
        if role is None:
            return None
        readable = (org_id,)
        if role.police_area_wide and police_area:
            readable = tuple(i for i, _, pa in orgs if pa == police_area)
        return own.role, readable, own.areas
    for m in principal.memberships:  # police reach the other kommuner of their police area
        role = roles.ROLES.get(m.role)
        if role is not None and role.police_area_wide and m.police_area and m.police_area == police_area:
            return m.role, tuple(i for i, _, pa in orgs if pa == police_area), None
    return None


def organisations_for(store: Store, principal: Principal) -> list[tuple[int, str]]:
    """The organisations the principal may open, by name."""
    orgs = _organisations(store)
    return [(i, name) for i, name, pa in orgs if _grant(principal, (i, name, pa), orgs) is not None]


def open_scope(store: Store, principal: Principal, organisation: str | int) -> Scope:
    """The principal's scope in ``organisation`` (name or id); AccessDenied when they have none."""
    orgs = _organisations(store)
    org = next((o for o in orgs if o[0] == organisation or o[1] == organisation), None)
    if org is None:
        if principal.method == "operator":
            raise NotFoundError(f"Organisationen '{organisation}' finns inte i databasen.")
        raise AccessDenied(f"{principal.display_name} har ingen behörighet till '{organisation}'.")
    grant = _grant(principal, org, orgs)
    if grant is None:
        raise AccessDenied(f"{principal.display_name} har ingen behörighet till '{org[1]}'.")
    role_name, readable, area_names = grant
    role = roles.ROLES[role_name]
    permissions = role.permissions | ({roles.POLICE_AREA, roles.ADMINISTER}
                                      if principal.method == "operator" else frozenset())
    verksamhet = None
    if role.reports_for_verksamhet:
        own = next((m for m in principal.memberships if m.organisation_id == org[0]), None)
        if own is not None:
            verksamhet = own.verksamhet
        elif principal.method == "single-user":
            verksamhet = DEMO_VERKSAMHET
    area_ids = None
    if role.own_areas_only:
        with store.engine.connect() as conn:
            area_ids = tuple(int(i) for i in conn.execute(
                select(t.Area.id).where(t.Area.organisation_id == org[0],
                                        t.Area.name.in_(list(area_names or ())))).scalars())
    return Scope(principal.username, principal.actor, principal.method, role_name, org[0], org[1],
                 org[2] or None, readable, area_ids, frozenset(permissions), role.points, role.always_suppress,
                 verksamhet)


MAX_FAILURES = 5  # failed sign-ins per user name within 15 minutes before sign-in is refused


def has_accounts(store: Store) -> bool:
    return accounts.count_users(store.engine) > 0


def sign_in_local(store: Store, username: str, password: str) -> Principal:
    """Check a local account's password (Argon2id); every attempt is audited, and after
    MAX_FAILURES failures in 15 minutes the name is refused for a while."""
    if accounts.recent_failures(store.engine, username) >= MAX_FAILURES:
        accounts.record_sign_in(store.engine, None, username=username, method="local", success=False)
        raise AccessDenied("För många misslyckade inloggningar; försök igen om en stund.")
    account = accounts.verify_password(store.engine, username, password)
    accounts.record_sign_in(store.engine, account, username=username, method="local",
                            success=account is not None and bool(account.memberships))
    if account is None:
        raise AccessDenied("Fel användarnamn eller lösenord.")
    if not account.memberships:
        raise AccessDenied(f"{account.username} har ingen roll i någon organisation ännu.")
    return from_account(account, "local")


def refresh(store: Store, principal: Principal) -> Principal:
    """The signed-in principal as the store has it now: a removed, deactivated or locked account,
    or one without any role left, is refused (AccessDenied), and a changed role or changed areas
    take effect at once. The demo and the operator are returned as they are."""
    if principal.method not in ("local", "oidc"):
        return principal
    account = accounts.get_user(store.engine, principal.username)
    if account is None or not account.active:
        raise AccessDenied("Ditt konto finns inte längre i EST-verktyget; du har loggats ut.")
    if not account.memberships:
        raise AccessDenied("Ditt konto har ingen roll i någon organisation längre; du har loggats ut.")
    if principal.method == "local" and accounts.recent_failures(store.engine, account.username) >= MAX_FAILURES:
        raise AccessDenied("Kontot är spärrat efter för många misslyckade inloggningar; du har loggats ut. "
                           "Försök igen om en stund.")
    return from_account(account, principal.method)


def sign_in_oidc(store: Store, email: str | None) -> Principal:
    """The account registered for an OIDC identity's e-mail (with `workbench user add --oidc`)."""
    account = accounts.get_user(store.engine, email or "")
    ok = account is not None and account.active and bool(account.memberships)
    accounts.record_sign_in(store.engine, account if ok else None, username=email or "(okänd)",
                            method="oidc", success=ok)
    if not ok or account is None:
        raise AccessDenied(f"Kontot {email or '(utan e-postadress)'} är inte registrerat i EST-verktyget. "
                           "Be samordnaren lägga till det (workbench user add … --oidc).")
    return from_account(account, "oidc")
