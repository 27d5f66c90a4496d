"""What a saved trygghetsbedömning stores: the BoTryggt checklist (one item per area) and the key
figures as shown when it was saved, both JSON in ``plan_assessment``.

Their keys are declared here once: a key renamed where a version is written (services.planning,
planning.checklist) is a mypy error, and a version saved by an older program must still read
(tests/store/test_plan_stored.py keeps one as stored today). The figures carry the schema
number of the whole version; change a key's name or meaning only with a new ASSESSMENT_SCHEMA
and an upgrade in ``read_assessment``.
"""

from __future__ import annotations

from typing import Any, TypedDict, cast

from workbench.errors import WorkbenchError

ASSESSMENT_SCHEMA = 1


class ChecklistItem(TypedDict):
    key: str  # a BoTryggt area (checklist.AREA_KEYS)
    assessment: str  # checklist.ASSESSMENTS
    comment: str
    suggestion: str  # what the data said when it was saved


class SideCounts(TypedDict):
    inside: str  # counts as shown ('<3' below the minimum count)
    ring: str


class AssessmentFigures(TypedDict):
    schema: int
    period: list[str]  # [start, end], ISO dates
    buffer_m: float
    area_m2: float
    incidents: SideCounts
    faults: SideCounts
    walks: SideCounts
    hot_cells: int
    places: list[str]
    suggestions: dict[str, str]


CHECKLIST_ITEM_KEYS = frozenset(ChecklistItem.__annotations__)
FIGURES_KEYS = frozenset(AssessmentFigures.__annotations__)


class AssessmentTooNewError(WorkbenchError):
    """A plan version saved by a newer program than this one."""


def read_assessment(checklist: list[dict[str, Any]] | None, figures: dict[str, Any] | None
                    ) -> tuple[list[ChecklistItem], AssessmentFigures | None]:
    """A stored version's checklist and figures as this program reads them. Figures without
    ``schema`` predate the number (schema 1); a version from a newer program is refused rather
    than misread. An item missing its comment or suggestion reads them as empty.

    >>> items, figures = read_assessment([{"key": "lighting", "assessment": "ok"}], {"hot_cells": 2})
    >>> items[0]["comment"], figures["schema"], figures["hot_cells"]
    ('', 1, 2)
    >>> read_assessment([], {"schema": 9})
    Traceback (most recent call last):
    ...
    workbench.planning.stored.AssessmentTooNewError: Bedömningen sparades av en nyare version av programmet (version 9, den här läser till och med 1); uppdatera programmet för att läsa den.
    """
    version = int((figures or {}).get("schema") or 1)
    if version > ASSESSMENT_SCHEMA:
        raise AssessmentTooNewError(
            f"Bedömningen sparades av en nyare version av programmet (version {version}, den här "
            f"läser till och med {ASSESSMENT_SCHEMA}); uppdatera programmet för att läsa den.")
    items = [ChecklistItem(key=str(i.get("key", "")), assessment=str(i.get("assessment") or "not_assessed"),
                           comment=str(i.get("comment") or ""), suggestion=str(i.get("suggestion") or ""))
             for i in checklist or []]
    read = None if figures is None else cast(AssessmentFigures, {**figures, "schema": version})
    return items, read
