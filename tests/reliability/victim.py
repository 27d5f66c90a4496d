"""Processes the reliability tests kill: ``python tests/reliability/victim.py MODE …``.

Markers go to stderr as ``@@NAME <monotonic seconds>`` lines, flushed, so a test can block on
them (``CLOCK_MONOTONIC`` is one clock for every process on the machine).

``import ARGS…``
    The command line itself, ``workbench.cli.main(ARGS)``, with two markers added through
    SQLAlchemy engine events: ``@@WRITE`` when the import's write transaction stores its
    ``import_batch`` row, and ``@@COMMIT`` just before that transaction commits. The import code
    is not touched; the markers only tell the test where in the import it killed the process.
``edit URL ORGANISATION_ID RUN``
    Prints ``@@READY``, then edits forever through the store functions, one transaction per
    step: every step updates one action (text and status, round robin) and every third step also
    the open meeting's notes *in the same transaction*; both are tagged ``r{RUN}n{STEP}``.
``increment URL ORGANISATION_ID ACTION_ID COUNT NAME``
    Prints ``@@READY``, waits for a line on stdin (so two of them start together), then does
    COUNT read-modify-write increments of the number in the action's text (``Räknare: N``),
    retrying on ConflictError, and prints ``{"conflicts": K}`` on stdout.
``server``
    A fork server, so each kill does not pay for starting Python and importing pandas,
    geopandas and SQLAlchemy again (about 1.3 s of CPU): it imports the workbench once,
    prints ``@@READY`` on stdout and then reads one JSON command per line on stdin:
    ``{"run": MODE, "args": […], "stderr": FIFO, "stdout": FILE|null}`` forks a child that opens
    FIFO as its stderr and runs MODE as above (``import``/``edit``), answering ``{"pid": N}``;
    ``{"wait": PID}`` reaps that child and answers ``{"returncode": N}`` (−9 when SIGKILLed).
    The server never opens a database: every connection belongs to a child, and dies with it.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

from sqlalchemy import event, select
from sqlalchemy.engine import Engine

ACTOR = "victim"
STATUSES = ("planerad", "pågår", "genomförd", "avbruten")


def marker(name: str) -> None:
    sys.stderr.write(f"@@{name} {time.monotonic():.6f}\n")
    sys.stderr.flush()


def run_import(argv: list[str]) -> int:
    from workbench.cli import main

    state = {"writing": False}

    def before_execute(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not state["writing"] and statement.lstrip().upper().startswith("INSERT INTO IMPORT_BATCH"):
            state["writing"] = True
            marker("WRITE")

    def before_commit(conn):  # noqa: ANN001
        if state["writing"]:
            marker("COMMIT")

    event.listen(Engine, "before_cursor_execute", before_execute)
    event.listen(Engine, "commit", before_commit)
    marker("START")
    return main(argv)


def run_edits(url: str, organisation_id: int, run: int) -> int:
    from workbench.store import loop, meetings
    from workbench.store import tables as t
    from workbench.store.db import open_store

    store = open_store(url)
    action_table, situation = t.Action.__table__, t.Situation.__table__
    with store.engine.connect() as conn:
        actions = [int(i) for i in conn.execute(select(action_table.c.id).where(
            action_table.c.organisation_id == organisation_id).order_by(action_table.c.id)).scalars()]
        meeting = int(conn.execute(select(situation.c.id).where(
            situation.c.organisation_id == organisation_id)).scalar_one())
    marker("READY")
    step = 0
    while True:
        step += 1
        tag = f"r{run}n{step}"
        action = actions[step % len(actions)]
        with store.transaction() as conn:
            version = conn.execute(select(action_table.c.version).where(
                action_table.c.id == action)).scalar_one()
            loop.update_action(conn, organisation_id, action, version,
                               {"text": f"Åtgärd {action} {tag}", "status": STATUSES[step % 4]},
                               actor=ACTOR)
            if step % 3 == 0:
                current = meetings.get_meeting(conn, organisation_id, meeting)
                meetings.update_meeting(conn, organisation_id, meeting, current["version"],
                                        {"notes": f"Anteckning {tag}"}, actor=ACTOR)


def run_increments(url: str, organisation_id: int, action: int, count: int, name: str) -> int:
    from workbench.errors import ConflictError
    from workbench.store import loop
    from workbench.store import tables as t
    from workbench.store.db import open_store

    store = open_store(url)
    table = t.Action.__table__
    rng = random.Random(name)
    marker("READY")
    sys.stdin.readline()  # the go signal: both processes start incrementing together
    conflicts = done = 0
    while done < count:
        try:
            with store.transaction() as conn:
                version, text = conn.execute(select(table.c.version, table.c.text).where(
                    table.c.id == action)).one()
                value = int(text.rsplit(" ", 1)[1])
                time.sleep(rng.uniform(0, 0.002))  # think time: lets the other process interleave
                loop.update_action(conn, organisation_id, action, version,
                                   {"text": f"Räknare: {value + 1}"}, actor=name)
        except ConflictError:
            conflicts += 1
            continue
        done += 1
    sys.stdout.write(json.dumps({"conflicts": conflicts}) + "\n")
    return 0


MODES = {"import": lambda a: run_import(a),
         "edit": lambda a: run_edits(a[0], int(a[1]), int(a[2])),
         "increment": lambda a: run_increments(a[0], int(a[1]), int(a[2]), int(a[3]), a[4])}


def _child(command: dict) -> None:
    """In the forked child: stderr → the test's FIFO, stdout → a file or nowhere; run; exit."""
    try:
        os.dup2(os.open(command["stderr"], os.O_WRONLY), 2)
        os.dup2(os.open(command.get("stdout") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - the server's command pipe is not the child's
        code = MODES[command["run"]](command["args"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - report and exit, never return into the server loop
        sys.stderr.write(f"@@ERROR {type(exc).__name__}: {exc}\n")
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def serve() -> int:
    import importlib
    import pkgutil
    import threading

    import workbench

    # Every module the command line may import lazily, imported once here and inherited by each
    # child (not the Streamlit UI, ``__main__`` or the Alembic scripts). A module that does not import is left to
    # the child, which then fails the way the real command would.
    for module in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if not module.name.startswith(("workbench.ui", "workbench.__main__",
                                       "workbench.store.migrations")):
            try:
                importlib.import_module(module.name)
            except Exception:  # noqa: BLE001, S112
                continue
    assert threading.active_count() == 1, "no threads may exist when forking"
    print("@@READY", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if "wait" in command:
            _, status = os.waitpid(int(command["wait"]), 0)
            answer = {"returncode": os.waitstatus_to_exitcode(status)}
        else:
            pid = os.fork()
            if pid == 0:
                _child(command)
            answer = {"pid": pid}
        print(json.dumps(answer), flush=True)
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "server":
        return serve()
    return MODES[argv[0]](argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
