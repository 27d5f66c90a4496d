"""The one place where personal data is kept out of the database: every write is scanned here.

Every text and JSON column of every table is declared below, either as free text (scanned on
every INSERT and UPDATE, whatever wrote it: an import, a page, the CLI, the audit log, a problem
list) or as a code with the reason it is not scanned. :func:`install` hooks the engine's
``before_execute`` event, so a statement built with ``insert``/``update`` is redacted before it is
compiled; the bulk import path (``repositories.insert_rows``, which bypasses SQLAlchemy for speed)
calls :func:`redact_frame`. A test enumerates the tables and fails when a column is neither.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
from sqlalchemy import Engine, event
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import BindParameter

from workbench.anonymise.values import redact_column, redact_deep, redact_str

# table → columns scanned (text typed or imported by someone; JSON walked string by string).
FREE_TEXT: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "import_batch": {"file_name", "problems"},
    "incident": {"source_id", "category", "category_original", "area_code", "description"},
    "fault_report": {"source_id", "category", "category_original", "area_code", "description", "status"},
    "area": {"name", "code"},
    "place": {"name", "kind"},
    "safety_walk": {"ref", "area_name", "participants", "notes"},
    "walk_observation": {"source_id", "category", "category_original", "comment", "photo_ref", "status",
                         "status_reason"},
    "situation": {"title", "area_statuses", "notes", "public_summary", "snapshot", "attendees",
                  "adjusted_by"},
    "cause_analysis": {"problem", "triangle", "whys", "hypotheses", "evidence"},
    "agreement": {"title", "parties", "source_text"},
    "focus_area": {"title"},
    "commitment": {"party", "text"},
    "citizen_promise": {"party", "text"},
    "action": {"text", "responsible_party", "responsible_role", "follow_up_method"},
    "import_profile": {"name"},
    "category_mapping": {"original"},
    "area_indicator": {"indicator"},
    "plan_area": {"name", "reference", "source"},
    "plan_assessment": {"checklist", "figures", "note"},
    "audit_log": {"entity_id", "before", "after"},
    "weekly_report": {"verksamhet"},
    "membership": {"verksamhet"},
    "observation": {"category", "place", "area", "description", "status_reason"},
}.items()}

# table → columns deliberately not scanned, with the reason.
NOT_SCANNED: dict[str, dict[str, str]] = {
    "organisation": {"name": "the organisation's name, the key it is looked up by",
                     "kind": "code", "municipality_code": "kommun code",
                     "police_area": "a police area name from the fixed list", "boundary_wkb": "geometry"},
    "import_batch": {"source_kind": "code", "content_hash": "hex digest",
                     "imported_by": "staff account name", "crs": "EPSG code"},
    "incident": {"precision": "code", "source": "code", "geom_wkb": "geometry"},
    "fault_report": {"precision": "code", "source": "code", "geom_wkb": "geometry"},
    "area": {"layer": "code", "geom_wkb": "geometry"},
    "place": {"geom_wkb": "geometry"},
    "safety_walk": {"route_wkb": "geometry", "status": "code", "created_by": "staff account name"},
    "walk_observation": {"precision": "code", "geom_wkb": "geometry"},
    "situation": {"period_kind": "code", "area_ids": "list of ids",
                  "created_by": "staff account name", "closed_by": "staff account name"},
    "agreement": {"kind": "code"},
    "commitment": {"party_kind": "code"},
    "action": {"status": "code"},
    "import_profile": {"source_kind": "code", "crs": "EPSG code",
                       "mapping": "canonical field → the file's column header (a layout, not data)"},
    "category_mapping": {"kind": "code", "category": "a category key of the taxonomy"},
    "plan_area": {"geom_wkb": "geometry", "created_by": "staff account name"},
    "plan_assessment": {"saved_by": "staff account name", "geom_wkb": "geometry"},
    "user_account": {"username": "staff account name (a work e-mail for single sign-on)",
                     "display_name": "staff member's name", "password_hash": "Argon2id hash"},
    "membership": {"role": "code", "areas": "area names the account may see (access control)"},
    "audit_log": {"actor": "staff account name", "verb": "code", "entity": "code"},
    "weekly_report": {"reporter": "staff account name"},
    "observation": {"status": "code", "created_by": "staff account name"},
}

REDACTED_FOR = "workbench.redacted_for"

# Audit entries about accounts and sign-ins name the account in entity_id: kept, like ``actor``.
_ACCOUNT_ENTITIES = frozenset({"user", "session"})


def _redact_values(table: str, values: dict[str, Any], found: Counter[str] | None = None) -> dict[str, Any]:
    columns = FREE_TEXT.get(table, frozenset())
    out = dict(values)
    for name in columns & out.keys():
        if table == "audit_log" and name == "entity_id" and out.get("entity") in _ACCOUNT_ENTITIES:
            continue
        out[name] = redact_deep(out[name], found)
    return out


def redact_row(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (column → value) of one row of ``table`` with its free-text columns redacted."""
    return _redact_values(table, values)


def redact_key(value: str | None) -> str | None:
    """A name or id as it is stored (redacted), so lookups by the typed value find the stored row."""
    return redact_str(value) if isinstance(value, str) else value


def redact_frame(table: str, frame: pd.DataFrame, found: Counter[str] | None = None, *,
                 only: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows about to be bulk-inserted into ``table`` with their free-text columns (or those of
    ``only``) redacted."""
    columns = [c for c in FREE_TEXT.get(table, ()) if c in frame.columns and (only is None or c in only)]
    redacted = {c: redact_column(frame[c], found) for c in columns}
    changed = {c: s for c, s in redacted.items() if s is not frame[c]}
    out = frame.assign(**changed) if changed else frame.copy()
    if only is None:  # every free-text column scanned: the bulk insert need not scan it again
        out.attrs[REDACTED_FOR] = table
    return out


def is_redacted(table: str, frame: pd.DataFrame) -> bool:
    """Whether :func:`redact_frame` already scanned every free-text column of ``frame`` for ``table``
    (the mark survives selecting rows and adding columns such as ids)."""
    return frame.attrs.get(REDACTED_FOR) == table


def _statement_values(statement: Insert | Update) -> dict[str, Any]:
    values = {}
    for key, bind in (statement._values or {}).items():  # noqa: SLF001 - the documented way to read .values()
        name = key if isinstance(key, str) else getattr(key, "key", None)
        if name is not None and isinstance(bind, BindParameter):
            values[name] = bind.value
    return values


def _plain(row: dict[Any, Any]) -> dict[str, Any]:
    return {(k if isinstance(k, str) else k.key): v for k, v in row.items()}


def _before_execute(conn, clauseelement, multiparams, params, execution_options):  # type: ignore[no-untyped-def]
    if not isinstance(clauseelement, Insert | Update):
        return clauseelement, multiparams, params
    table = getattr(clauseelement.table, "name", None)
    if table not in FREE_TEXT:
        return clauseelement, multiparams, params
    if getattr(clauseelement, "_multi_values", None):
        clauseelement = clauseelement._clone()  # noqa: SLF001 - a copy; the caller's statement stays as it was
        clauseelement._multi_values = tuple(  # noqa: SLF001
            [_redact_values(table, _plain(r)) for r in group] for group in clauseelement._multi_values)  # noqa: SLF001
    else:
        current = _statement_values(clauseelement)
        redacted = _redact_values(table, current)
        changed = {k: v for k, v in redacted.items() if v is not current[k]}
        if changed:
            clauseelement = clauseelement.values(**changed)
    multiparams = [_redact_values(table, dict(p)) for p in multiparams]
    params = _redact_values(table, dict(params)) if params else params
    return clauseelement, multiparams, params


def install(engine: Engine) -> None:
    """Scan every INSERT and UPDATE that goes through ``engine``."""
    if not event.contains(engine, "before_execute", _before_execute):
        event.listen(engine, "before_execute", _before_execute, retval=True)
