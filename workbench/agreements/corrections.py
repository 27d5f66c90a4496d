"""The coordinator's corrections of a parsed agreement, on its ``to_json`` form (pure).

A working document is the parser's JSON with each commitment's source lines (``lines``: first,
last, 0-based) and ``low_confidence``. Every operation returns a new document: make a
commitment of selected source lines, change its party, move it to another focus area, merge
several into one, split one in two, edit its text, remove one. A commitment read back from the
store carries ``ids`` (the stored commitment it continues; a medborgarlöfte item also
``promise_ids``): edit and move keep them, a merge gathers the ids of all merged commitments
(the first one survives, the others' åtgärd links move to it), of a split the first part keeps
them and the other is new, so the åtgärd links follow on save. ``document_key`` identifies the
document by its normalised lines, so a re-upload of the same text finds the corrections saved
for it.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from workbench.agreements.lines import clean, normalise_newlines
from workbench.agreements.parties import party_kind

Document = dict[str, Any]
_BULLET_MARK = re.compile(r"^\s*(?:[-•*–·▪●◦‣➢►]|\(?\d{1,2}[.)]|[a-z]\))\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
_STORED_IDS = ("ids", "promise_ids")  # the stored rows a commitment continues (see the store)


def source_lines(text: str) -> list[str]:
    """The document's lines as the parser numbers them."""
    return normalise_newlines(text).split("\n")


def document_key(text: str) -> str:
    """A hash of the normalised lines: the same document (other line endings, spacing or blank
    lines) gives the same key.

    >>> document_key("A  b\\r\\n\\nC") == document_key("A b\\nC\\n")
    True
    """
    lines = [" ".join(line.split()) for line in source_lines(text)]
    normalised = "\n".join(line for line in lines if line)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def rows(doc: Document) -> list[dict[str, Any]]:
    """Every commitment in document order with its number (``index``) and focus area."""
    found: list[dict[str, Any]] = []
    for area in doc.get("focus_areas") or []:
        for commitment in area.get("commitments") or []:
            found.append({**commitment, "index": len(found), "focus_area": area["title"]})
    return found


def _find(doc: Document, index: int) -> tuple[dict[str, Any], int]:
    position = 0
    for area in doc.get("focus_areas") or []:
        items = area.setdefault("commitments", [])
        if index < position + len(items):
            return area, index - position
        position += len(items)
    raise IndexError(f"Åtagande {index + 1} finns inte")


def _area(doc: Document, title: str) -> dict[str, Any]:
    title = " ".join(title.split()) or "Övrigt"
    areas = doc.setdefault("focus_areas", [])
    for area in areas:
        if area["title"] == title:
            return area
    areas.append({"title": title, "commitments": []})
    return areas[-1]


def _drop_empty(doc: Document, keep: set[str]) -> Document:
    doc["focus_areas"] = [a for a in doc.get("focus_areas") or []
                          if a.get("commitments") or a["title"] in keep]
    return doc


def lines_text(text: str, first: int, last: int) -> str:
    """The text of source lines ``first``–``last`` (inclusive) as one commitment text: list
    markers and Markdown dropped, a word hyphenated over the break joined."""
    parts = [_BULLET_MARK.sub("", clean(line)) for line in source_lines(text)[first:last + 1]]
    joined = ""
    for part in (p for p in parts if p):
        if joined.endswith("-") and part[:1].islower() and len(joined) > 1 and joined[-2].isalpha():
            joined = joined[:-1] + part
        else:
            joined = f"{joined} {part}".strip()
    return joined


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order.

    >>> sentences("Polisen ska patrullera. Det sker varje fredag! Och så")
    ['Polisen ska patrullera.', 'Det sker varje fredag!', 'Och så']
    """
    return [part.strip() for part in _SENTENCE.split(text) if part.strip()]


def add_from_lines(doc: Document, text: str, first: int, last: int, *, area: str,
                   party: str, chosen: list[int] | None = None) -> Document:
    """A new commitment made of the selected source lines (only the ``chosen`` sentences of
    them when given), in ``area`` (created when new)."""
    lines = source_lines(text)
    first, last = sorted((max(0, first), min(len(lines) - 1, last)))
    body = lines_text(text, first, last)
    if chosen is not None:
        parts = sentences(body)
        body = " ".join(parts[i] for i in sorted(set(chosen)) if 0 <= i < len(parts))
    if not body:
        raise ValueError(f"Raderna {first + 1}–{last + 1} är tomma")
    doc = copy.deepcopy(doc)
    _area(doc, area)["commitments"].append(
        {"party": party, "party_kind": party_kind(party), "text": body, "lines": [first, last]})
    return doc


def set_party(doc: Document, index: int, party: str, kind: str | None = None) -> Document:
    doc = copy.deepcopy(doc)
    area, position = _find(doc, index)
    item = area["commitments"][position]
    item.update(party=party, party_kind=kind or party_kind(party))
    item.pop("low_confidence", None)
    return doc


def set_text(doc: Document, index: int, text: str) -> Document:
    """The commitment with a corrected text (its stored ids, and so its åtgärd links, kept)."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("Skriv åtagandets text (tom text sparas inte; ta bort åtagandet i stället)")
    doc = copy.deepcopy(doc)
    area, position = _find(doc, index)
    item = area["commitments"][position]
    item["text"] = text
    item.pop("low_confidence", None)
    return doc


def move(doc: Document, index: int, title: str) -> Document:
    doc = copy.deepcopy(doc)
    area, position = _find(doc, index)
    item = area["commitments"].pop(position)
    _area(doc, title)["commitments"].append(item)
    return _drop_empty(doc, {title})


def remove(doc: Document, index: int) -> Document:
    doc = copy.deepcopy(doc)
    area, position = _find(doc, index)
    area["commitments"].pop(position)
    return doc


def merge(doc: Document, indices: list[int]) -> Document:
    """One commitment of several: the texts in document order, the lines they span together,
    the first one's party and focus area."""
    indices = sorted(set(indices))
    if len(indices) < 2:
        raise ValueError("Välj minst två åtaganden att slå ihop")
    all_rows = rows(doc)
    chosen = [all_rows[i] for i in indices]
    spans = [row["lines"] for row in chosen if row.get("lines")]
    doc = copy.deepcopy(doc)
    area, position = _find(doc, indices[0])
    first = area["commitments"][position]
    first["text"] = " ".join(row["text"] for row in chosen)
    for key in _STORED_IDS:  # the stored rows it continues: their åtgärd links follow it
        ids = list(dict.fromkeys(i for row in chosen for i in row.get(key) or []))
        if ids:
            first[key] = ids
    if spans:
        first["lines"] = [min(s[0] for s in spans), max(s[1] for s in spans)]
    first.pop("low_confidence", None)
    for index in reversed(indices[1:]):
        other_area, other = _find(doc, index)
        other_area["commitments"].pop(other)
    return _drop_empty(doc, set())


def split_points(text: str) -> list[int]:
    """Where a commitment can be split: after each sentence but the last."""
    return [m.end() for m in _SENTENCE.finditer(text)]


def split(doc: Document, index: int, at: int) -> Document:
    """Two commitments of one, split at character ``at`` (both keep the party and lines; the
    first part keeps the stored ids, so the åtgärder linked to the original, the second is new)."""
    doc = copy.deepcopy(doc)
    area, position = _find(doc, index)
    item = area["commitments"][position]
    head, tail = item["text"][:at].strip(), item["text"][at:].strip()
    if not head or not tail:
        raise ValueError("Välj en delningspunkt inne i texten")
    second = {k: v for k, v in item.items() if k not in _STORED_IDS} | {"text": tail}
    item["text"] = head
    area["commitments"].insert(position + 1, second)
    return doc


def locate(commitment_text: str, text: str) -> list[int] | None:
    """The source lines a commitment's text was read from (for a saved commitment that has no
    line numbers), or None when the text is not found."""
    words = re.findall(r"[\wåäöÅÄÖéü]+", commitment_text.lower())[:8]
    if not words:
        return None
    lines = source_lines(text)
    flat: list[tuple[int, str]] = []
    hyphenated = False
    for number, line in enumerate(lines):
        words_here = re.findall(r"[\wåäöÅÄÖéü]+", clean(line).lower())
        if hyphenated and flat and words_here and line.strip()[:1].islower():
            flat[-1] = (flat[-1][0], flat[-1][1] + words_here.pop(0))  # "ka-" + "jen"
        flat += [(number, w) for w in words_here]
        hyphenated = bool(re.search(r"[a-zåäö]-\s*$", line))
    tokens = [w for _, w in flat]
    for start in range(len(tokens) - len(words) + 1):
        if tokens[start:start + len(words)] == words:
            end_word = min(len(flat) - 1, start + len(re.findall(r"[\wåäöÅÄÖéü]+",
                                                                  commitment_text)) - 1)
            return [flat[start][0], flat[end_word][0]]
    return None


def with_located_lines(doc: Document, text: str) -> Document:
    """The document with ``lines`` filled in for every commitment that lacks them."""
    doc = copy.deepcopy(doc)
    for area in doc.get("focus_areas") or []:
        for item in area.get("commitments") or []:
            if not item.get("lines"):
                found = locate(item["text"], text)
                if found is not None:
                    item["lines"] = found
    return doc
