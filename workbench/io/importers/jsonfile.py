"""Read a JSON document of records (a list, or an object holding one), with clear errors."""

from __future__ import annotations

import json
from typing import Any

from workbench.errors import ImportValidationError


def read_records(data: bytes, file_name: str, *, list_keys: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The list of objects in ``data``; an object wrapping the list under one of ``list_keys`` works too."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportValidationError(f"{file_name}: JSON-filen är inte UTF-8.") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            f"{file_name}: ogiltig eller avkortad JSON (rad {exc.lineno}, kolumn {exc.colno}: {exc.msg})."
        ) from exc
    except RecursionError as exc:  # [[[[…]]]] nested deeper than Python's parser goes
        raise ImportValidationError(f"{file_name}: JSON-filen är för djupt nästlad för att läsas.") from exc
    if isinstance(doc, dict):
        for key in list_keys:
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
    if not isinstance(doc, list):
        raise ImportValidationError(f"{file_name}: JSON-filen innehåller ingen lista med poster.")
    if not all(isinstance(item, dict) for item in doc):
        raise ImportValidationError(f"{file_name}: listan innehåller annat än objekt.")
    return doc
