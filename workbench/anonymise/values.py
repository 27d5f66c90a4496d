"""Redact stored values of any shape: a string, a JSON structure, a column of a frame.

The store calls these on every write (see ``store/privacy.py``); the gate calls :func:`findings`
to warn before a form is saved. Column scans look at each distinct value once and skip values
that cannot hold personal data (fewer than two digits and no ``@``/``(at)``) without a regex
search, so a million imported rows with a hundred categories cost a hundred scans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbench import errors
from workbench.anonymise import scan
from workbench.anonymise.scan import KIND_PERSONAL_ID, redact_text
from workbench.errors import ImportProblem

# Keys of JSON structures that hold the signed-in staff member's account name (a work e-mail for
# single sign-on): the log must keep who did what, so these are not scanned.
ACCOUNT_KEYS = frozenset({"actor", "username", "user", "created_by", "closed_by", "saved_by",
                          "imported_by", "decided_by", "display_name"})

# A value can only hold personal data when it has at least two digits or an e-mail sign.
_MAYBE = re.compile(r"\d\D{0,3}\d|@|\(at\)|\[at\]", re.IGNORECASE)
_EMAIL_SIGN = re.compile(r"@|\(at\)|\[at\]", re.IGNORECASE)


def _candidate(text: str) -> bool:
    """Cheap test before the full scan: could any pattern match at all?"""
    if not _MAYBE.search(text):
        return False
    return bool(_EMAIL_SIGN.search(text) or scan._PERSONAL_ID.search(text) or scan._PHONE.search(text)
                or scan._PLATE.search(text))


def redact_str(text: str, found: Counter[str] | None = None) -> str:
    """``text`` with personal data replaced; adds what was found to ``found``."""
    if not text or not _candidate(text):
        return text
    result = redact_text(text)
    if found is not None and result.found:
        found.update(result.found)
    return result.text


def redact_deep(value: Any, found: Counter[str] | None = None, *, skip: frozenset[str] = ACCOUNT_KEYS) -> Any:
    """Every string inside ``value`` (dicts, lists, tuples) redacted; keys in ``skip`` kept as they are."""
    if isinstance(value, str):
        return redact_str(value, found)
    if isinstance(value, Mapping):
        return {k: (v if k in skip else redact_deep(v, found, skip=skip)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_deep(v, found, skip=skip) for v in value)
    return value


def _candidates(texts: list[str]) -> list[str]:
    """The texts some pattern matches in, found with one pass of each pattern over all of them
    joined by NUL (no pattern matches a NUL, so none reaches across two texts): a million ids or
    categories cost a few regex passes in C instead of a million Python calls."""
    if len(texts) < 64 or any("\0" in t for t in texts):
        return [t for t in texts if _candidate(t)]
    joined = "\0".join(texts)
    starts = np.cumsum([0, *(len(t) + 1 for t in texts[:-1])])
    hits: set[int] = set()
    for pattern in (_EMAIL_SIGN, scan._PERSONAL_ID, scan._PHONE, scan._PLATE):
        positions = [m.start() for m in pattern.finditer(joined)]
        hits.update(np.searchsorted(starts, positions, side="right") - 1 if positions else ())
    return [texts[i] for i in sorted(hits)]


def redact_column(values: pd.Series, found: Counter[str] | None = None) -> pd.Series:
    """A column with every string redacted; each distinct value scanned once."""
    if values.empty or not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return values
    distinct = [v for v in pd.unique(values.dropna()) if isinstance(v, str)]
    changed: dict[Any, Any] = {}
    kinds: dict[Any, Counter[str]] = {}
    for value in _candidates(distinct):
        local: Counter[str] = Counter()
        redacted = redact_str(value, local)
        if redacted != value:
            changed[value] = redacted
            kinds[value] = local
    if not changed:
        return values
    if found is not None:
        times = values[values.isin(list(changed))].value_counts()
        for value, local in kinds.items():
            found.update({kind: count * int(times.get(value, 0)) for kind, count in local.items()})
    return values.map(lambda v: changed.get(v, v) if isinstance(v, str) else v)


def findings(texts: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field → kinds of personal data found in it (personnummer first), for a warning before saving."""
    out: dict[str, list[str]] = {}
    for name, value in texts.items():
        found: Counter[str] = Counter()
        redact_deep(value, found)
        if found:
            out[name] = sorted(found, key=lambda kind: (kind != KIND_PERSONAL_ID, kind))
    return out


def redact_problem(problem: ImportProblem) -> ImportProblem:
    """An import problem as it may be shown, stored and printed: the echoed cell, column header and
    file name redacted (``ogiltigt datum '[personnummer]'``)."""
    file, message = redact_str(problem.file), redact_str(problem.message)
    column = None if problem.column is None else redact_str(problem.column)
    if (file, column, message) == (problem.file, problem.column, problem.message):
        return problem
    return ImportProblem(file, problem.row, column, message)


errors.register_redactor(redact_str)  # import errors echo cells: scanned when raised (errors.py)

_NAMED = {scan.KIND_PERSONAL_ID: "ett personnummer", scan.KIND_PHONE: "ett telefonnummer",
          scan.KIND_EMAIL: "en e-postadress", scan.KIND_PLATE: "ett registreringsnummer"}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def warning_text(found: Mapping[str, list[str]]) -> str | None:
    """The warning shown before a save, naming what was found and where; None when nothing was.

    >>> warning_text({"Åtgärd": ["personnummer"], "Roll": ["telefonnummer"]})[:95]
    'Texten innehåller något som ser ut som ett personnummer och ett telefonnummer (i fälten ”Åtgärd'
    """
    if not found:
        return None
    kinds = sorted({k for ks in found.values() for k in ks}, key=lambda k: (k != KIND_PERSONAL_ID, k))
    fields = list(found)
    where = f"i fältet ”{fields[0]}”" if len(fields) == 1 else f"i fälten {_join([f'”{f}”' for f in fields])}"
    markers = _join([f"[{k}]" for k in kinds])
    return (f"Texten innehåller något som ser ut som {_join([_NAMED[k] for k in kinds])} ({where}). "
            f"Personuppgifter sparas inte här: ändra texten, eller spara den med uppgifterna ersatta "
            f"av {markers}.")


def removal_warning(found: Mapping[str, list[str]]) -> str | None:
    """The short warning of the reporter's form: what was found, and to take it away; None when
    nothing was.

    >>> removal_warning({"Beskrivning": ["telefonnummer", "personnummer"]})
    'Texten innehåller något som ser ut som ett personnummer och ett telefonnummer – ta bort det.'
    """
    if not found:
        return None
    kinds = sorted({k for ks in found.values() for k in ks}, key=lambda k: (k != KIND_PERSONAL_ID, k))
    return f"Texten innehåller något som ser ut som {_join([_NAMED[k] for k in kinds])} – ta bort det."
