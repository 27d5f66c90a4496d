"""The import commands of the CLI: `workbench import` (one organisation, or routed over a police
area's kommuner) and `workbench police-area` (set up a lokalpolisområde's kommuner once)."""

from __future__ import annotations

import argparse

from workbench.config import Settings, from_env
from workbench.io.importers.sources import POINT_SOURCES


def _base():
    """The CLI's shared helpers (imported when run: workbench.cli imports this module)."""
    from workbench import cli

    return cli


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.services import import_organisations, imports
    from workbench.store.db import open_store

    settings = _base()._settings(args)
    data, name = imports.read_file(args.file, allowed=args.what)
    store = open_store(settings.db_url)
    if args.what in POINT_SOURCES and (args.police_area or (
            not args.organisation and from_env("organisation") is None
            and import_organisations.database_is_empty(store))):
        return _import_routed(args, store, settings, data, name)
    organisation = args.organisation or settings.organisation
    created = import_organisations.organisation_to_create(store, organisation,
                                                          create=args.create_organisation)
    scope = _base()._scope(args, store, settings, create=created)
    try:
        report = _import_one(args, store, scope, settings, data, name)
    except BaseException:
        if created:  # nothing written: not even the organisation made for this import
            import_organisations.drop_empty_organisation(store, organisation)
        raise
    lines = [f"{report.file_name}: {report.imported} importerade, {report.duplicates} dubbletter, "
             f"{report.rejected} avvisade, {report.redacted} personuppgifter maskerade"
             + (f", {report.changed} ändrade (rad {', '.join(map(str, report.changed_rows[:20]))}"
                + (" …" if report.changed > 20 else "")
                + (f"; {report.updated} uppdaterade" if report.updated else "; de lagrade behölls")
                + ")" if report.changed else "")
             + (f", koordinatsystem {report.crs}" if report.crs else "") + "."]
    if created:
        lines.append(f"  Organisationen {organisation} skapades.")
    lines += [f"  {p}" for p in report.problems[:50]]
    if len(report.problems) > 50:
        lines.append(f"  … och {len(report.problems) - 50} problem till (se --json).")
    _base()._emit(args, report.to_json(), "\n".join(lines))
    return 0


def _import_routed(args: argparse.Namespace, store, settings: Settings, data: bytes, name: str) -> int:
    """A file for several kommuner: each row to its kommun's organisation (operator only)."""
    from workbench.errors import AccessDenied
    from workbench.services import routing

    if getattr(args, "user", None) or settings.cli_user:
        raise AccessDenied("Att fördela en fil på flera kommuner görs som serverns operatör (utan "
                           "--user) eller på sidan Importera.")
    report = routing.import_routed(store, args.what, data, name,
                                   police_areas=tuple(args.police_area or ()),
                                   create=not args.police_area, crs=args.crs,
                                   sensitive=settings.sensitive_categories, actor=_base().ACTOR,
                                   on_change=args.on_change)
    lines = [f"{report.file_name}: {report.imported} importerade, {report.duplicates} dubbletter, "
             f"{report.rejected} avvisade, {report.changed} ändrade, {report.redacted} personuppgifter "
             "maskerade."]
    lines += [f"  {org}: {n}" for org, n in sorted(report.routed.items())]
    if report.created:
        lines.append("  Nya organisationer (en per kommun i filen): " + ", ".join(report.created) + ".")
    lines += [f"  {p}" for p in report.problems[:50]]
    if len(report.problems) > 50:
        lines.append(f"  … och {len(report.problems) - 50} problem till (se --json).")
    _base()._emit(args, report.to_json(), "\n".join(lines))
    return 0


def cmd_police_area(args: argparse.Namespace) -> int:
    from workbench.services import police_area
    from workbench.store.db import open_store

    store = open_store(_base()._settings(args).db_url)
    rows = police_area.set_up(store, args.name, args.kommuner, actor=_base().ACTOR)
    text = f"{args.name}: " + ", ".join(
        f"{r['name']} ({r['code']}{', ny' if r['created'] else ''})" for r in rows) + "."
    _base()._emit(args, {"police_area": args.name, "kommuner": rows}, text)
    return 0


def _import_one(args: argparse.Namespace, store, scope, settings: Settings, data: bytes, name: str):
    from workbench.access import gate
    from workbench.services import imports

    if args.what in POINT_SOURCES:
        report = gate.import_file(store, scope, args.what, data, name, crs=args.crs, profile=args.profile,
                                  sensitive=settings.sensitive_categories, on_change=args.on_change)
    elif args.what in ("areas", "places"):
        report = gate.import_file(store, scope, args.what, data, name, layer=args.layer)
    elif args.what == "area-indicators":
        report = gate.import_file(store, scope, args.what, data, name)
    else:
        walks_data, walks_name = imports.read_file(args.walks, allowed="walk-table") if args.walks else (None, None)
        report = gate.import_file(store, scope, "walks", data, name, walks_data=walks_data,
                                  walks_name=walks_name, crs=args.crs)
    return report
