"""Roles and what each may do: one declared table, read by the access layer (services/access.py).

A role is given per organisation (a membership: user × organisation → role). The table says which
permissions a role has, whether it may see point-level data and whether small counts are always
suppressed for it. Pages, exports and CLI commands name the permission they need; nothing else
decides who sees what.
"""

from __future__ import annotations

from dataclasses import dataclass

# Permissions (what a page, an export or a command needs).
READ_AGGREGATES = "read_aggregates"  # counts per area and period (Översikt)
READ_POINTS = "read_points"  # point-level data: hot-spot cells and events, places' events
READ_LOOP = "read_loop"  # places, cause analyses, actions, meetings, the agreement
EDIT_LOOP = "edit_loop"  # create and change those
IMPORT = "import"  # import files into the organisation
PLANNING = "planning"  # the planning check of a plan area, saved plans
EXPORT = "export"  # documents (lägesbild, åtgärdsplan, protokoll …) and exports
POLICE_AREA = "police_area"  # figures across the organisations of the police area
AUDIT = "audit"  # read and export the audit log of the organisation
ADMINISTER = "administer"  # organisation settings (police area), other organisations' rows
RECORD_WALK = "record_walk"  # record observations on a trygghetsvandring (own areas for housing)
REPORT = "report"  # weekly inrapportering for the verksamhet of the membership, and its återkoppling

PERMISSIONS = (READ_AGGREGATES, READ_POINTS, READ_LOOP, EDIT_LOOP, IMPORT, PLANNING, EXPORT,
               POLICE_AREA, AUDIT, ADMINISTER, RECORD_WALK, REPORT)


@dataclass(frozen=True)
class Role:
    """One role: its permissions, whether points are visible, whether small counts are hidden."""

    name: str
    label: str  # Swedish, for the UI
    description: str  # Swedish, for the UI and `workbench user list`
    permissions: frozenset[str]
    points: bool  # may see point-level data (never finer than the row's own precision)
    always_suppress: bool  # counts below min_count are always shown as "<N"
    police_area_wide: bool = False  # reaches every organisation of its police area
    own_areas_only: bool = False  # limited to the areas named in the membership
    reports_for_verksamhet: bool = False  # the membership names the verksamhet it reports for

    def can(self, permission: str) -> bool:
        return permission in self.permissions


_LOOP = {READ_AGGREGATES, READ_LOOP}

ROLES: dict[str, Role] = {
    role.name: role for role in (
        Role("coordinator", "Samordnare",
             "Brottsförebyggande samordnare: allt inom den egna organisationen.",
             frozenset(PERMISSIONS) - {POLICE_AREA, REPORT}, points=True, always_suppress=False),
        Role("police", "Kommunpolis",
             "Punktdata och EST-arbetet i alla organisationer i polisområdet.",
             frozenset(_LOOP | {READ_POINTS, EDIT_LOOP, IMPORT, EXPORT, POLICE_AREA, RECORD_WALK}),
             points=True, always_suppress=False, police_area_wide=True),
        Role("housing", "Bostadsbolag",
             "Sammanställda siffror för bolagets egna områden, EST-arbetet (läsa) och "
             "iakttagelser på trygghetsvandringar i de egna områdena.",
             frozenset(_LOOP | {RECORD_WALK}), points=False, always_suppress=True, own_areas_only=True),
        Role("planner", "Planerare",
             "Sammanställda siffror och trygghetsbedömning av planområden.",
             frozenset({READ_AGGREGATES, PLANNING}), points=False, always_suppress=True),
        Role("viewer", "Delad skärm",
             "Visning på den delade skärmen: sammanställt, små antal döljs.",
             frozenset(_LOOP), points=False, always_suppress=True),
        Role("reporter", "Inrapportör",
             "Rapporterar veckans iakttagelser för sin verksamhet; ser bara formuläret och "
             "verksamhetens egna rapporter, inga andra data.",
             frozenset({REPORT}), points=False, always_suppress=True, reports_for_verksamhet=True),
    )
}

ROLE_NAMES = tuple(ROLES)


def role(name: str) -> Role:
    """The declared role called ``name`` (ValueError with the allowed names otherwise)."""
    try:
        return ROLES[name]
    except KeyError:
        raise ValueError(f"okänd roll '{name}'; välj en av {', '.join(ROLE_NAMES)}") from None
