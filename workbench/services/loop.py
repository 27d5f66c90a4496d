"""EST-loop use cases: one transaction per user action."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.store import loop
from workbench.store.db import Store


def create_action(store: Store, organisation_id: int, values: dict[str, Any], *, actor: str,
                  commitment_ids: Sequence[int] = (), promise_ids: Sequence[int] = (),
                  observation_ids: Sequence[int] = (), fault_report_ids: Sequence[int] = ()) -> int:
    """A new åtgärd, answering the given commitments, medborgarlöfte promises, reported
    observations and felanmälningar (one step)."""
    with store.transaction() as conn:
        return loop.create_action(conn, organisation_id, values, actor=actor,
                                  commitment_ids=list(commitment_ids), promise_ids=list(promise_ids),
                                  observation_ids=list(observation_ids),
                                  fault_report_ids=list(fault_report_ids))


def update_action(store: Store, organisation_id: int, action_id: int, expected_version: int,
                  changes: dict[str, Any], *, actor: str, commitment_ids: list[int] | None = None,
                  promise_ids: list[int] | None = None) -> int:
    """Save a change made from ``expected_version`` (links: None keeps them as they are)."""
    with store.transaction() as conn:
        return loop.update_action(conn, organisation_id, action_id, expected_version, changes,
                                  actor=actor, commitment_ids=commitment_ids, promise_ids=promise_ids)
