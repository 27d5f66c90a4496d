"""The ``format_func`` of a select widget whose options are the keys of a label table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def label_of(labels: Mapping[Any, str]) -> Callable[[Any], str]:
    """``labels.get``, typed the way Streamlit's widgets declare ``format_func``.

    >>> label_of({"police": "Polisen"})("police")
    'Polisen'
    """
    return labels.get  # type: ignore[return-value]  # an option not in the table reads None, as before
