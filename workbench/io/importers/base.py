"""What every importer returns: a canonical frame plus problems, redaction counts and the CRS used."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.anonymise.values import redact_problem, redact_str
from workbench.errors import ImportProblem
from workbench.taxonomy import DEFAULT_SENSITIVE_CATEGORIES


@dataclass(frozen=True)
class ImportOptions:
    """What the user (or a saved profile) told the importer; everything else is detected."""

    crs: str | None = None
    mapping: dict[str, str] | None = None  # canonical field → the file's header
    category_overrides: dict[str, str] | None = None  # original (lower-case) → category key
    sensitive: frozenset[str] = DEFAULT_SENSITIVE_CATEGORIES


@dataclass
class ParsedFile:
    """The result of reading and validating one file, before anything is stored."""

    kind: str  # schema.KIND_*
    source: str  # schema.SOURCE_*
    file_name: str
    content_hash: str
    frame: pd.DataFrame  # canonical columns of ``kind``
    problems: list[ImportProblem] = field(default_factory=list)
    redacted: Counter[str] = field(default_factory=Counter)
    crs: str | None = None
    rejected: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # The file's row number (as in Excel, or the position in a JSON list) of each frame row.
    source_rows: Any = None

    def __post_init__(self) -> None:  # cells echoed into problems are shown and stored: scanned
        self.problems = [redact_problem(p) for p in self.problems]


@dataclass(frozen=True)
class ImportReport:
    """What an import did; ``to_json`` is the CLI contract."""

    kind: str
    file_name: str
    imported: int
    duplicates: int
    rejected: int
    redacted: int
    crs: str | None
    problems: tuple[ImportProblem, ...]
    batch_id: int | None = None
    changed: int = 0  # same source id, different content
    changed_rows: tuple[int, ...] = ()  # their row numbers in the file
    updated: int = 0  # changed rows written over the stored ones (--on-change update)
    routed: dict[str, int] = field(default_factory=dict)  # organisation → rows stored there
    created: tuple[str, ...] = ()  # organisations this import created (a police area's kommuner)

    def __post_init__(self) -> None:  # printed by the CLI, shown on Importera: scanned
        object.__setattr__(self, "file_name", redact_str(self.file_name))
        object.__setattr__(self, "problems", tuple(redact_problem(p) for p in self.problems))

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "redacted": self.redacted,
            "crs": self.crs,
            "changed": self.changed,
            "changed_rows": list(self.changed_rows),
            "updated": self.updated,
            "routed": dict(self.routed),
            "created": list(self.created),
            "problems": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.problems
            ],
        }


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_ids(frame: pd.DataFrame, columns: list[str], prefix: str = "h:") -> pd.Series:
    """Stable ids for rows that have none, from their content, so a re-import finds duplicates.

    Identical rows within one file are different events (two reports at the same snapped point
    in the same month): the n-th copy gets the suffix ``#n``, so they stay apart and a re-import
    of the same file still matches them one to one.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="string")
    parts = [frame[c].astype("string").fillna("") for c in columns]
    joined = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0]
    hashed = pd.Series([prefix + hashlib.sha1(s.encode("utf-8")).hexdigest()[:20]
                        for s in joined.to_numpy(dtype=object)], index=frame.index, dtype="string")
    occurrence = hashed.groupby(hashed).cumcount()
    suffix = occurrence.map(lambda n: f"#{n + 1}" if n else "")
    return (hashed + suffix).astype("string")
