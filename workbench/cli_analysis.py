"""The analysis commands of ``workbench``: ``hotspots --emerging``, ``near-repeat`` and ``export``.

Registered in cli.py with a few lines (several engineers change cli.py); the shared helpers
(scope, settings, dates, messages) come from there.
"""

from __future__ import annotations

import argparse
import json
import sys

from workbench.errors import WorkbenchError

STEPS = ("week", "month", "tertial")  # workbench.hotspots.emerging.STEPS; a unit test keeps them equal


def add_hotspot_options(hot: argparse.ArgumentParser) -> None:
    """The emerging hot-spot options of ``workbench hotspots``."""
    hot.add_argument("--emerging", action="store_true",
                     help="hot-spots över tid: space-time Gi*, Mann-Kendall och Esris mönster per ruta")
    hot.add_argument("--step", choices=STEPS, default="month",  # emerging.STEPS: see above
                     help="tidssteg för --emerging (standard month)")
    hot.add_argument("--by-area", action="store_true",
                     help="med --emerging: områdena (stadsdelarna) i stället för rutor, en rad per område")


def cmd_emerging(args: argparse.Namespace) -> int:
    from workbench.access import gate
    from workbench.cli import _date, _grid_command, write_cells
    from workbench.filters import EventFilter
    from workbench.hotspots.emerging import TooFewSteps
    from workbench.services import emerging

    settings, store, scope, cell = _grid_command(args)
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if start is not None and end is not None and end < start:
        raise WorkbenchError(f"--to ({end}) ligger före --from ({start}).")
    event_filter = EventFilter(start, end, tuple(args.category), tuple(args.source or ["police"]))
    events = gate.point_events(store, scope)
    if args.by_area:
        return _emerging_by_area(args, store, scope, events, event_filter)
    try:
        result = emerging.run(events, gate.study_extent(store, scope, events), event_filter, cell,
                              args.step, gate.study_boundary(store, scope))
    except TooFewSteps as exc:
        raise WorkbenchError(str(exc)) from None
    except ValueError as exc:
        raise WorkbenchError(f"Ingen analys av hot-spots över tid: {exc}.") from None
    cells = emerging.cell_frame(result)
    write_cells(cells, args.format)
    summary = result.summary()
    first, last = result.steps[0][0], result.steps[-1][1]
    sys.stderr.write(f"{result.n_events} händelser med punkt {first}–{last}, {len(result.steps)} "
                     f"tidssteg, {len(cells)} celler à {cell} m"
                     + (": " + ", ".join(f"{k} {v}" for k, v in summary.items()) if summary else "")
                     + ".\n")
    for warning in result.warnings_sv():
        sys.stderr.write(f"Obs: {warning}\n")
    return 0


def _emerging_by_area(args: argparse.Namespace, store, scope, events, event_filter) -> int:
    import geopandas as gpd

    from workbench.access import gate
    from workbench.hotspots.emerging import TooFewSteps
    from workbench.reports.cells import neutralise_frame
    from workbench.services import emerging

    areas = gate.areas(store, scope)
    try:
        result = emerging.run_areas(events, areas, event_filter, args.step)
    except TooFewSteps as exc:
        raise WorkbenchError(str(exc)) from None
    except ValueError as exc:
        raise WorkbenchError(f"Ingen analys av hot-spots över tid per område: {exc}.") from None
    frame = result.frame()
    if args.format == "csv":
        sys.stdout.write(neutralise_frame(frame).to_csv(index=False))
    else:
        from workbench.geo.crs import SWEREF99TM, WGS84  # pyproj: only when needed

        shapes = areas.set_index(areas["id"].astype(int)).geometry
        cells = gpd.GeoDataFrame(frame, geometry=shapes.loc[frame["area_id"]].to_numpy(), crs=SWEREF99TM)
        sys.stdout.write(cells.to_crs(WGS84).to_json(drop_id=True) + "\n")
    summary = result.summary()
    sys.stderr.write(f"{result.n_events} händelser med område, {len(result.steps)} tidssteg, "
                     f"{len(frame)} områden" + (": " + ", ".join(f"{k} {v}" for k, v in summary.items())
                                                if summary else "") + ".\n")
    for warning in result.warnings_sv():
        sys.stderr.write(f"Obs: {warning}\n")
    return 0


def emit_json(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")


def _edges(text: str, option: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise WorkbenchError(f"{option} ska vara tal med komma emellan, t.ex. 0,100,200, fick '{text}'.") from None


def add_near_repeat_parser(sub, common, as_user) -> None:
    near = sub.add_parser("near-repeat", parents=[common, as_user],
                          help="near-repeat: Knox-test över avstånds- och tidsband med permutationer")
    near.add_argument("--category", action="append", required=True,
                      help="kategori, t.ex. bostadsinbrott (kan upprepas)")
    near.add_argument("--organisation", help="organisation (kommun)")
    near.add_argument("--from", dest="start", metavar="ÅÅÅÅ-MM-DD", help="första dagen")
    near.add_argument("--to", dest="end", metavar="ÅÅÅÅ-MM-DD", help="sista dagen (inklusive)")
    near.add_argument("--distance-bands", default="0,100,200,400", metavar="0,100,200,400",
                      help="avståndsgränser i meter; banden är [a, b) och det sista öppet")
    near.add_argument("--time-bands", default="0,7,14,30", metavar="0,7,14,30",
                      help="tidsgränser i dagar; banden är [a, b) och det sista öppet")
    near.add_argument("--permutations", type=int, default=999, help="permutationer av datumen (999)")
    near.add_argument("--seed", type=int, default=0, help="slumpfrö (samma frö, samma p)")


def cmd_near_repeat(args: argparse.Namespace) -> int:
    from workbench.access import gate
    from workbench.cli import _date, _scope, _settings
    from workbench.hotspots.near_repeat import NearRepeatError
    from workbench.services import near_repeat
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    scope = _scope(args, store, settings)
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    events = gate.point_events(store, scope)
    try:
        table = near_repeat.run(events, tuple(args.category), start=start, end=end,
                                distance_bands=_edges(args.distance_bands, "--distance-bands"),
                                time_bands=_edges(args.time_bands, "--time-bands"),
                                permutations=args.permutations, seed=args.seed)
    except NearRepeatError as exc:
        raise WorkbenchError(str(exc)) from None
    payload = {"categories": list(args.category), "events": table.n_events,
               "permutations": table.permutations, "from": args.start, "to": args.end,
               "cells": table.cells(), "readout": table.readout_sv(), "verdict": table.verdict_sv()}
    if args.json:
        emit_json(payload)
    else:
        lines = [table.verdict_sv()] + [f"  {line}" for line in table.readout_sv()]
        sys.stderr.write("\n".join(lines) + "\n")
    return 0


def add_export_parser(sub, common, as_user) -> None:
    export = sub.add_parser("export", parents=[common, as_user],
                            help="lager för QGIS och Excel: rutor, near-repeat, platser, områden, åtgärder")
    export.add_argument("--format", choices=("gpkg", "geojson", "xlsx"), required=True,
                        help="gpkg (ett lager per tabell, EPSG:3006), geojson (zip, en fil per lager) "
                             "eller xlsx (ett blad per lager)")
    export.add_argument("--out", required=True, metavar="FIL", help="utfilen")
    export.add_argument("--organisation", help="organisation (kommun)")
    export.add_argument("--from", dest="start", metavar="ÅÅÅÅ-MM-DD", help="periodens första dag")
    export.add_argument("--to", dest="end", metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag (inklusive)")
    export.add_argument("--category", action="append", default=[],
                        help="kategori för near-repeat-tabellen (standard bostadsinbrott; kan upprepas)")
    export.add_argument("--cell", type=int, help="cellstorlek i meter (standard WORKBENCH_GRID_SIZE)")
    export.add_argument("--all-counts", action="store_true",
                        help="visa även små antal (som på en egen skärm); standard är att antal under "
                             "WORKBENCH_MIN_COUNT döljs som på delad skärm. Roller som alltid döljer "
                             "små tal får dem dolda ändå")


def default_export_period(latest):
    """The 12 whole months up to the last whole month with data."""
    from datetime import timedelta

    from workbench.situation import Period, preset_period

    last = preset_period("month", latest.date())
    first = last.start
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(first, last.end)


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.access import gate
    from workbench.cli import _grid_command
    from workbench.cli_reports import _period_option, _write_atomically

    settings, store, scope, cell = _grid_command(args)
    period = _period_option(args)
    if period is None:
        latest = gate.latest(store, scope)
        if latest is None:
            raise WorkbenchError("Det finns inga händelser; ange perioden med --from och --to.")
        period = default_export_period(latest)
    categories = tuple(args.category) or ("bostadsinbrott",)
    suppressed = scope.suppress(not args.all_counts)
    data, layers, notes = gate.export_layers(store, settings, scope, period, args.format, cell=cell,
                                             near_categories=categories, shared_screen=not args.all_counts)
    out = _write_atomically(args.out, data)
    counts = {layer.name: len(layer.frame) for layer in layers}
    gate.log_export(store, scope, "layers", out.name, format=args.format, via="cli", layers=counts,
                    period=period.label(), suppressed=suppressed)
    from workbench.geo.crs import SWEREF99TM, WGS84

    payload = {"format": args.format, "out": str(out), "bytes": len(data),
               "crs": WGS84 if args.format == "geojson" else SWEREF99TM,
               "period": {"start": str(period.start), "end": str(period.end)},
               "layers": counts, "suppressed": suppressed, "notes": notes}
    text = (f"Export sparad i {out} ({len(data):,} byte): "
            + ", ".join(f"{name} {n}" for name, n in counts.items()) + "."
            + "".join(f"\n  {note}" for note in notes))
    if args.json:
        emit_json(payload)
    else:
        sys.stderr.write(text + "\n")
    return 0
