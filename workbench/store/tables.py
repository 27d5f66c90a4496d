"""SQLAlchemy tables of the data model, one module per subject, gathered here so the rest of the
code imports every table from one place (``from workbench.store import tables as t``). Geometry is
EPSG:3006: WKB plus x/y.

- `tables_core.py`: the declarative base, organisations, import batches, areas, places, incidents
  and felanmälningar;
- `tables_loop.py`: lägesbild per area, orsaksanalys, agreements, commitments, medborgarlöfte
  promises, åtgärder;
- `tables_reporting.py`: trygghetsvandringar, weekly reports, their observations and links;
- `tables_admin.py`: import profiles, category mappings, indicators, plan areas and assessments,
  accounts, memberships, the audit log.
"""

from __future__ import annotations

from workbench.store.tables_admin import (
    AreaIndicator,
    AuditLog,
    CategoryMapping,
    ImportProfile,
    Membership,
    PlanArea,
    PlanAssessment,
    UserAccount,
)
from workbench.store.tables_core import (
    NAMING,
    Area,
    Base,
    FaultReport,
    ImportBatch,
    Incident,
    Organisation,
    Place,
)
from workbench.store.tables_loop import (
    Action,
    ActionCitizenPromise,
    ActionCommitment,
    Agreement,
    CauseAnalysis,
    CitizenPromise,
    Commitment,
    FocusArea,
    Situation,
)
from workbench.store.tables_reporting import (
    FaultReportAction,
    Observation,
    ObservationAction,
    SafetyWalk,
    WalkObservation,
    WalkObservationAction,
    WeeklyReport,
)

__all__ = [
    "Action",
    "ActionCitizenPromise",
    "ActionCommitment",
    "Agreement",
    "Area",
    "AreaIndicator",
    "AuditLog",
    "Base",
    "CategoryMapping",
    "CauseAnalysis",
    "CitizenPromise",
    "Commitment",
    "FaultReport",
    "FaultReportAction",
    "FocusArea",
    "ImportBatch",
    "ImportProfile",
    "Incident",
    "Membership",
    "NAMING",
    "Observation",
    "ObservationAction",
    "Organisation",
    "Place",
    "PlanArea",
    "PlanAssessment",
    "SafetyWalk",
    "Situation",
    "UserAccount",
    "WalkObservation",
    "WalkObservationAction",
    "WeeklyReport",
    "ALL_TABLES",
]

ALL_TABLES = tuple(Base.metadata.sorted_tables)
