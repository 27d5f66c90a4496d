"""Known header names (Swedish and English) for each canonical field, and header matching."""

from __future__ import annotations

import re
import unicodedata

# field → header names, compared after :func:`normalise_header`. Order within a list = preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": (
        "händelsenummer", "händelsenr", "ärendenummer", "ärendenr", "ärende id", "ärendeid",
        "diarienummer", "anmälningsnummer", "k nummer", "knummer", "id", "event number",
        "crime id", "service request id", "nummer", "löpnummer", "observation id",
    ),
    "category": (
        "brottstyp", "brottskategori", "kategori", "händelsetyp", "ärendetyp", "typ", "brott",
        "brottsbenämning", "crime type", "category", "type", "service name", "offence",
        "brottskod",
    ),
    "from_datetime": (
        "från", "fr o m", "from", "tidpunkt", "händelsetid", "datum och tid", "datetime",
        "occurred", "start", "brottstid från", "registrerad", "anmäld", "inkommet", "inkom",
        "skapad", "requested datetime", "rapporterad", "datum", "date", "month",
    ),
    "from_date": ("från datum", "fr datum", "startdatum", "från dag", "brottsdatum", "händelsedatum"),
    "from_time": ("från tid", "fr tid", "starttid", "från klockslag", "tid", "klockslag", "kl", "klockan",
                  "tidpunkt kl", "time"),
    "to_datetime": ("till", "t o m", "to", "brottstid till", "slut"),
    "to_date": ("till datum", "slutdatum", "till dag"),
    "to_time": ("till tid", "sluttid", "till klockslag"),
    "fixed_at": (
        "åtgärdad", "åtgärdat", "klar", "klart", "avslutad", "åtgärdsdatum", "stängd",
        "klar datum", "closed", "fixed", "avslutat datum",
    ),
    "status": ("status", "ärendestatus", "state"),
    "description": (
        "fritext", "beskrivning", "händelsebeskrivning", "kommentar", "anteckning", "text",
        "notering", "description", "notes", "summary",
    ),
    "area_code": ("områdeskod", "område kod", "omradeskod", "område", "stadsdel", "area code",
                  "area", "district", "kommunkod", "basområde"),
    "priority": ("prioritet", "prio", "priority"),
    "photo_ref": ("foto", "bild", "photo", "fotoreferens", "image"),
    "walk_ref": ("vandring", "trygghetsvandring", "walk", "vandrings id"),
}

# Coordinate header names: (first-axis names, second-axis names) — order decided from values.
COORDINATE_NAMES = {
    "x": ("x", "x koordinat", "xkoord", "x sweref", "x sweref99", "koordinat x", "x coord"),
    "y": ("y", "y koordinat", "ykoord", "y sweref", "y sweref99", "koordinat y", "y coord"),
    "easting": ("e", "öst", "ost", "östlig", "easting", "east", "e koordinat"),
    "northing": ("n", "nord", "nordlig", "northing", "north", "n koordinat"),
    "lon": ("lon", "long", "lng", "longitud", "longitude", "längdgrad"),
    "lat": ("lat", "latitud", "latitude", "breddgrad"),
}
COORDINATE_PAIRS = (("lon", "lat"), ("easting", "northing"), ("x", "y"))


def normalise_header(name: str) -> str:
    """'Från datum' → 'från datum', 'X-koordinat (SWEREF)' → 'x koordinat sweref'."""
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    text = text.replace("_", " ")
    text = re.sub(r"[^\wåäö]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_suffix(text: str) -> str:
    return re.sub(r"\s(sweref ?99( tm)?|wgs ?84|rt ?90|tm)$", "", text)


def match_columns(headers: list[str], fields: tuple[str, ...]) -> dict[str, str]:
    """Map canonical fields to the file's headers, each header used at most once."""
    normalised = {h: normalise_header(h) for h in headers}
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for field in fields:
        for alias in ALIASES.get(field, ()):
            hit = next((h for h, n in normalised.items() if h not in used and n == alias), None)
            if hit is not None:
                mapping[field] = hit
                used.add(hit)
                break
    return mapping


def match_coordinates(headers: list[str]) -> tuple[str, str] | None:
    """The two coordinate headers in file order, or None."""
    normalised = {h: _strip_suffix(normalise_header(h)) for h in headers}
    for first_axis, second_axis in COORDINATE_PAIRS:
        a = next((h for h, n in normalised.items() if n in COORDINATE_NAMES[first_axis]), None)
        b = next((h for h, n in normalised.items() if n in COORDINATE_NAMES[second_axis]), None)
        if a and b:
            ordered = sorted((a, b), key=headers.index)
            return ordered[0], ordered[1]
    return None
