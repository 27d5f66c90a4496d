"""The status of an observation, reported in the weekly report (``observation``) or noted on a
trygghetsvandring (``walk_observation``): one vocabulary and one set of rules for both tables.

The group sets a status by hand (closing without an åtgärd needs a reason); linking an åtgärd
moves a new observation to 'åtgärd beslutad'; when an åtgärd's status changes, each observation
it answers follows its åtgärder (genomförd → åtgärdad, every one cancelled → avslutad utan
åtgärd), unless the group set the status by hand. Every write is audited in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from workbench.anonymise.scan import redact_text
from workbench.errors import NotFoundError, WorkbenchError
from workbench.store import tables as t
from workbench.store.repositories import audit

STATUS_NEW = "ny"
STATUS_DISCUSSED = "behandlad på EST-möte"
STATUS_DECIDED, STATUS_DONE = "åtgärd beslutad", "åtgärdad"
STATUS_CLOSED_WITHOUT = "avslutad utan åtgärd"
STATUSES = (STATUS_NEW, STATUS_DISCUSSED, STATUS_DECIDED, STATUS_DONE, STATUS_CLOSED_WITHOUT)
ACTION_DONE, ACTION_CANCELLED = "genomförd", "avbruten"
CANCELLED_REASON = "Åtgärden avbröts."
# Statuses an åtgärd may move an observation between; a status the group set by hand
# (ny, behandlad på EST-möte, avslutad utan åtgärd with its own reason) is left alone.
FOLLOWING = (STATUS_DECIDED, STATUS_DONE)

ACTION = t.Action.__table__


def _same(status: str | None) -> str:
    return status or STATUS_NEW


@dataclass(frozen=True)
class ObservationKind:
    """One table of observations: where its rows and åtgärd links are, how it is named in the
    audit log and in Swedish messages, and how long a reason may be."""

    table: Table
    links: Table
    link_column: str  # the link table's column naming the observation
    entity: str  # audit entity of the observation; its links are audited as f"{entity}_action"
    noun: str  # "observationen", "iakttagelsen"
    reason_limit: int
    # A stored status in the vocabulary (imported walks carry their file's own words).
    normalise: Callable[[str | None], str] = _same

    def find(self, conn: Connection, organisation_id: int, observation_id: int) -> Any:
        """The observation's row, of the organisation; NotFoundError in Swedish otherwise."""
        table = self.table
        row = conn.execute(select(table).where(table.c.id == int(observation_id),
                                               table.c.organisation_id == organisation_id)).first()
        if row is None:
            raise NotFoundError(f"{self.noun.capitalize()} finns inte (längre).")
        return row


def status_from_actions(statuses: list[str]) -> tuple[str, str | None]:
    """An observation's (status, reason) from the statuses of every åtgärd answering it: åtgärdad
    when none is left open and at least one was done; closed when every one was cancelled;
    otherwise åtgärd beslutad.

    >>> status_from_actions(["genomförd", "avbruten"])
    ('åtgärdad', None)
    >>> status_from_actions(["genomförd", "pågår"])
    ('åtgärd beslutad', None)
    >>> status_from_actions(["avbruten"])
    ('avslutad utan åtgärd', 'Åtgärden avbröts.')
    """
    if statuses and all(s == ACTION_CANCELLED for s in statuses):
        return STATUS_CLOSED_WITHOUT, CANCELLED_REASON
    if statuses and all(s in (ACTION_DONE, ACTION_CANCELLED) for s in statuses):
        return STATUS_DONE, None
    return STATUS_DECIDED, None


def set_status(conn: Connection, kind: ObservationKind, organisation_id: int, observation_id: int,
               status: str, *, reason: str | None = None, actor: str) -> None:
    """Move an observation to ``status``; closing without an åtgärd needs a reason (masked for
    personal data before it is stored)."""
    if status not in STATUSES:
        raise WorkbenchError(f"Okänd status '{status}'.")
    reason_text = (reason or "").strip()[:kind.reason_limit] or None
    if status == STATUS_CLOSED_WITHOUT and not reason_text:
        raise WorkbenchError(f"Ange ett skäl när {kind.noun} avslutas utan åtgärd.")
    if reason_text:
        reason_text = redact_text(reason_text).text
    row = kind.find(conn, organisation_id, observation_id)
    conn.execute(update(kind.table).where(kind.table.c.id == row.id)
                 .values(status=status, status_reason=reason_text))
    audit(conn, actor=actor, verb="update", entity=kind.entity, entity_id=int(row.id),
          organisation_id=organisation_id, before={"status": row.status, "skäl": row.status_reason},
          after={"status": status, "skäl": reason_text})


def link_action(conn: Connection, kind: ObservationKind, organisation_id: int, observation_id: int,
                action_id: int, *, actor: str) -> None:
    """Record that åtgärd ``action_id`` answers the observation (both of the organisation); a new
    or discussed observation becomes 'åtgärd beslutad'."""
    row = kind.find(conn, organisation_id, observation_id)
    if conn.execute(select(ACTION.c.id).where(ACTION.c.id == int(action_id),
                                              ACTION.c.organisation_id == organisation_id)).first() is None:
        raise NotFoundError("Åtgärden finns inte (längre).")
    column = kind.links.c[kind.link_column]
    conn.execute(delete(kind.links).where(column == row.id, kind.links.c.action_id == int(action_id)))
    conn.execute(insert(kind.links).values({kind.link_column: int(row.id), "action_id": int(action_id)}))
    audit(conn, actor=actor, verb="insert", entity=f"{kind.entity}_action", entity_id=int(row.id),
          organisation_id=organisation_id, after={"åtgärd": int(action_id)})
    if kind.normalise(row.status) in (STATUS_NEW, STATUS_DISCUSSED):
        set_status(conn, kind, organisation_id, int(row.id), STATUS_DECIDED, actor=actor)


def follow_action(conn: Connection, kind: ObservationKind, organisation_id: int, action_id: int, *,
                  actor: str) -> list[int]:
    """After an åtgärd's status changed: each observation it answers takes the status its
    åtgärder give (audited per observation); a status set by hand is left alone. Returns the ids
    of the observations changed."""
    table, links = kind.table, kind.links
    column = links.c[kind.link_column]
    linked = [int(i) for i in conn.execute(
        select(column).select_from(links.join(table, column == table.c.id))
        .where(links.c.action_id == int(action_id), table.c.organisation_id == organisation_id)
        .order_by(column)).scalars()]
    if not linked:
        return []
    statuses: dict[int, list[str]] = {}
    for observation_id, status in conn.execute(
            select(column, ACTION.c.status).select_from(links.join(ACTION, links.c.action_id == ACTION.c.id))
            .where(column.in_(linked))):
        statuses.setdefault(int(observation_id), []).append(status)
    changed = []
    for row in conn.execute(select(table.c.id, table.c.status, table.c.status_reason)
                            .where(table.c.id.in_(linked)).order_by(table.c.id)).all():
        current = kind.normalise(row.status)
        automatic = current in FOLLOWING or (current == STATUS_CLOSED_WITHOUT
                                             and row.status_reason == CANCELLED_REASON)
        status, reason = status_from_actions(statuses.get(int(row.id), []))
        if automatic and (status, reason) != (current, row.status_reason):
            set_status(conn, kind, organisation_id, int(row.id), status, reason=reason, actor=actor)
            changed.append(int(row.id))
    return changed
