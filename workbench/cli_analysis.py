"""The analysis commands of ``workbench``: ``hotspots --emerging``, ``near-repeat`` and ``export``.

Registered in cli.py with a few lines (several engineers change cli.py); the shared helpers
(scope, settings, dates, messages) come from there.
"""

from __future__ import annotations

import argparse
import json
import sys

from workbench.errors import WorkbenchError


def add_hotspot_options(hot: argparse.ArgumentParser) -> None:
    """The emerging hot-spot options of ``workbench hotspots``."""
    from workbench.hotspots.emerging import STEPS

    hot.add_argument("--emerging", action="store_true",
                     help="hot-spots över tid: space-time Gi*, Mann-Kendall och Esris mönster per ruta")
    hot.add_argument("--step", choices=STEPS, default="month",
                     help="tidssteg för --emerging (standard month)")


def cmd_emerging(args: argparse.Namespace) -> int:
    from workbench.access import gate
    from workbench.cli import _date, _scope, _settings
    from workbench.filters import EventFilter
    from workbench.hotspots.emerging import TooFewSteps
    from workbench.reports.cells import neutralise_frame
    from workbench.services import emerging
    from workbench.store.db import open_store

    settings = _settings(args)
    store = open_store(settings.db_url)
    scope = _scope(args, store, settings)
    cell = args.cell or settings.grid_size_m
    if not 10 <= cell <= 10_000:
        raise WorkbenchError(f"--cell ska vara 10–10000 meter, fick {cell}.")
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if start is not None and end is not None and end < start:
        raise WorkbenchError(f"--to ({end}) ligger före --from ({start}).")
    event_filter = EventFilter(start, end, tuple(args.category), tuple(args.source or ["police"]))
    events = gate.point_events(store, scope)
    try:
        result = emerging.run(events, gate.study_extent(store, scope, events), event_filter, cell,
                              args.step)
    except TooFewSteps as exc:
        raise WorkbenchError(str(exc)) from None
    except ValueError as exc:
        raise WorkbenchError(f"Ingen analys av hot-spots över tid: {exc}.") from None
    cells = emerging.cell_frame(result)
    if args.format == "csv":
        sys.stdout.write(neutralise_frame(cells.drop(columns="geometry")).to_csv(index=False))
    else:
        sys.stdout.write(cells.to_crs("EPSG:4326").to_json(drop_id=True) + "\n")
    summary = result.summary()
    first, last = result.steps[0][0], result.steps[-1][1]
    sys.stderr.write(f"{result.n_events} händelser med punkt {first}–{last}, {len(result.steps)} "
                     f"tidssteg, {len(cells)} celler à {cell} m"
                     + (": " + ", ".join(f"{k} {v}" for k, v in summary.items()) if summary else "")
                     + ".\n")
    if len(result.steps) < 10:
        sys.stderr.write("Obs: färre än 10 tidssteg – trenden och mönstren är osäkra.\n")
    return 0


def emit_json(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
