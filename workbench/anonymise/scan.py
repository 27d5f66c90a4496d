"""Find and redact personnummer/samordningsnummer, phone numbers, e-mail and registration numbers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KIND_PERSONAL_ID = "personnummer"
KIND_PHONE = "telefonnummer"
KIND_EMAIL = "e-post"
KIND_PLATE = "registreringsnummer"

_PERSONAL_ID = re.compile(r"(?<![\d-])(?:(?:19|20)(\d{2})|(\d{2}))(\d{2})(\d{2})[-+ ]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?0?\)?\d{1,3}(?:[\s-]?\d){5,8}(?![\d])")
# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) then two digits and a digit or letter.
_PLATE = re.compile(r"(?<![\wÅÄÖåäö])[A-HJ-PR-UW-Z]{3} ?\d{2}[A-HJ-PR-UW-Z0-9](?![\wÅÄÖåäö])")


def luhn_ok(digits: str) -> bool:
    """Luhn check of a 10-digit personnummer (YYMMDDNNNC).

    >>> luhn_ok("8112189876"), luhn_ok("8112189875")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _is_personal_id(match: re.Match[str]) -> bool:
    yy = match.group(1) or match.group(2)
    month, day, tail = int(match.group(3)), int(match.group(4)), match.group(5)
    if not 1 <= month <= 12:
        return False
    # samordningsnummer add 60 to the day
    if not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return luhn_ok(f"{yy}{match.group(3)}{match.group(4)}{tail}")


@dataclass
class ScanResult:
    """Redacted text and what was found (counts per kind; never the values)."""

    text: str
    found: Counter[str] = field(default_factory=Counter)


def redact_text(text: str) -> ScanResult:
    """Replace personal data in ``text`` with markers such as ``[personnummer]``.

    >>> redact_text("Ring 070-123 45 67 eller mejla a.b@example.se, bil ABC 123").text
    'Ring [telefonnummer] eller mejla [e-post], bil [registreringsnummer]'
    """
    found: Counter[str] = Counter()

    def personal(match: re.Match[str]) -> str:
        if _is_personal_id(match):
            found[KIND_PERSONAL_ID] += 1
            return f"[{KIND_PERSONAL_ID}]"
        return match.group(0)

    def marker(kind: str):
        def repl(_match: re.Match[str]) -> str:
            found[kind] += 1
            return f"[{kind}]"

        return repl

    out = _EMAIL.sub(marker(KIND_EMAIL), text)
    out = _PERSONAL_ID.sub(personal, out)
    out = _PHONE.sub(marker(KIND_PHONE), out)
    out = _PLATE.sub(marker(KIND_PLATE), out)
    return ScanResult(out, found)


def redact_series(values: pd.Series) -> tuple[pd.Series, Counter[str], pd.Series]:
    """Redact every string of ``values``; returns (redacted, counts per kind, per-row hit count)."""
    total: Counter[str] = Counter()
    out = values.astype("string").copy()
    mask = (out.notna() & (out.str.len() > 0)).to_numpy()
    counts = np.zeros(len(out), dtype=np.int64)
    redacted: list[str] = []
    for position, text in zip(np.flatnonzero(mask), out[mask].to_numpy(dtype=object), strict=True):
        result = redact_text(str(text))
        redacted.append(result.text)
        if result.found:
            counts[position] = sum(result.found.values())
            total.update(result.found)
    if redacted:
        out[mask] = redacted
    return out, total, pd.Series(counts, index=values.index)


def contains_personal_data(texts: Iterable[str]) -> bool:
    """True when any text still holds something :func:`redact_text` would replace."""
    return any(redact_text(t).found for t in texts if t)
