"""Suppression of small counts on shared screens and in exports."""

from __future__ import annotations

import pandas as pd

from workbench.numbers import integer


def suppressed_label(count: int | float | None, min_count: int) -> str:
    """The count as shown on a shared screen: '<3' below ``min_count``, else the number.

    Zero is shown as 0 (an empty cell reveals nothing about a person).

    >>> suppressed_label(2, 3), suppressed_label(0, 3), suppressed_label(1234, 3)
    ('<3', '0', '1\\u202f234')
    """
    if count is None or pd.isna(count):
        return "–"
    value = int(count)
    if 0 < value < min_count:
        return f"<{min_count}"
    return integer(value)


def is_suppressed(count: int | float | None, min_count: int) -> bool:
    """True when ``count`` must not be shown as a number."""
    return count is not None and not pd.isna(count) and 0 < int(count) < min_count


def suppress_frame(frame: pd.DataFrame, columns: list[str], min_count: int) -> pd.DataFrame:
    """Copy of ``frame`` with the count ``columns`` replaced by their shared-screen labels."""
    out = frame.copy()
    for column in columns:
        out[column] = [suppressed_label(v, min_count) for v in frame[column]]
    return out
