"""Access to the figures counted in the database for aggregate readers (services.overview):
a reader limited to its own areas gets only their rows, as ``gate.events`` gives it."""

from __future__ import annotations

import pandas as pd

from workbench import roles as r
from workbench.access import gate
from workbench.access.scope import Scope
from workbench.services import overview
from workbench.situation import Period
from workbench.store.db import Store


def overview_figures(store: Store, scope: Scope, period: Period,
                     reference: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Översikt's (per-area figures, per-source totals) for the period against the reference."""
    scope.require(r.READ_AGGREGATES)
    return overview.figures(store, scope.organisation_id, gate.areas(store, scope), period, reference,
                            scope.area_ids)
