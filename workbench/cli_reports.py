"""The report command of ``workbench``: ``report KIND --out FIL`` (lägesbild, protokoll,
återkoppling, åtgärdsplan … and the trygghetsbedömning of a planned area), written atomically.

Registered in cli.py; the shared helpers (scope, settings, dates, messages) come from there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.config import Settings
from workbench.errors import WorkbenchError


def _base():
    """The CLI's shared helpers (imported when run: workbench.cli imports this module)."""
    from workbench import cli

    return cli


def _period_option(args: argparse.Namespace):
    """The period of --from/--to, None when neither is given."""
    from workbench.situation import Period

    start, end = _base()._date(args.start, "--from"), _base()._date(args.end, "--to")
    if (start is None) != (end is None):
        raise WorkbenchError("Ange både --from och --to (eller ingen av dem).")
    if start is not None and end < start:
        raise WorkbenchError(f"--to ({end}) ligger före --from ({start}).")
    return None if start is None else Period(start, end)


def _report_period(args: argparse.Namespace, store, scope):
    """--from/--to, else the last whole month with data (None for reports that need no period)."""
    from workbench.access import gate
    from workbench.situation import preset_period

    given = _period_option(args)
    if given is not None:
        return given
    if args.kind not in ("situation", "feedback") or args.meeting:
        return None
    latest = gate.latest(store, scope)
    if latest is None:
        raise WorkbenchError("Det finns inga händelser; ange perioden med --from och --to.")
    return preset_period("month", latest.date())  # the last whole month with data


def cmd_report(args: argparse.Namespace) -> int:
    from workbench.access import gate
    from workbench.services import reports
    from workbench.store.db import open_store

    settings = _base()._settings(args)
    fmt = reports.format_of(args.out)
    store = open_store(settings.db_url)
    scope = _base()._scope(args, store, settings)
    organisation = scope.organisation
    if args.kind == "planning":
        return _report_planning(args, store, settings, scope, fmt)
    period = _report_period(args, store, scope)
    built = gate.report(store, settings, scope, args.kind, fmt, period=period, meeting_id=args.meeting)
    out = _write_atomically(args.out, built.data)
    gate.log_export(store, scope, args.kind, out.name, format=fmt, via="cli")
    payload = {"kind": args.kind, "format": fmt, "out": str(out), "bytes": len(built.data),
               "organisation": organisation,
               "period": None if period is None else {"start": str(period.start), "end": str(period.end)},
               "meeting": args.meeting}
    _base()._emit(args, payload, f"{reports.KIND_LABELS_SV[args.kind]} sparad i {out} ({len(built.data):,} byte).")
    return 0


def _write_atomically(path: str, data: bytes) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    partial.write_bytes(data)
    partial.replace(out)  # never a half-written report under the real name
    return out


def _report_planning(args: argparse.Namespace, store, settings: Settings, scope, fmt: str) -> int:
    from workbench.access import gate
    from workbench.planning.area import DEFAULT_BUFFER_M, PlanArea
    from workbench.services import imports, planning

    if (args.area is None) == (args.plan is None):
        raise WorkbenchError("Ange planområdet med --area FIL eller en sparad plan med --plan NAMN.")
    period = _period_option(args) or gate.planning_period(store, scope)
    checklist = version = reference = None
    if args.plan:
        plan_id = gate.find_plan(store, scope, args.plan)
        saved = gate.plan(store, scope, plan_id)
        area, name, reference = PlanArea(saved["geometry"]), args.name or saved["name"], saved["reference"]
        buffer_m = args.buffer if args.buffer is not None else saved["buffer_m"]
        checklist, version = saved["checklist"], planning.version_label(saved)
    else:
        data, file_name = imports.read_file(args.area, allowed="plan")
        area = planning.read_plan(data, file_name, crs=args.crs)
        name = args.name or Path(file_name).stem
        buffer_m = DEFAULT_BUFFER_M if args.buffer is None else args.buffer
    result = gate.planning_check(store, settings, scope, area, buffer_m=buffer_m, period=period,
                                 name=name, reference=reference)
    built = gate.planning_document(scope, result, fmt, checklist=checklist, version=version)
    out = _write_atomically(args.out, built.data)
    gate.log_export(store, scope, "planning", out.name, format=fmt, via="cli")
    f = result.figures
    payload = {"kind": "planning", "format": fmt, "out": str(out), "bytes": len(built.data),
               "name": name, "buffer_m": f.buffer_m, "area_m2": round(f.plan_area_m2, 1),
               "period": {"start": str(period.start), "end": str(period.end)},
               "notes": list(area.notes), "empty": f.is_empty,
               "counts": planning.summary(result, settings.min_count)}
    lines = [f"Trygghetsbedömning av {name} sparad i {out} ({len(built.data):,} byte)."]
    lines += [f"  {note}" for note in area.notes]
    _base()._emit(args, payload, "\n".join(lines))
    return 0
