"""Known header names (Swedish and English) for each canonical field, and header matching."""

from __future__ import annotations

import difflib
import re
import unicodedata

# field → header names, compared after :func:`normalise_header`. Order within a list = preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": (
        "händelsenummer", "händelsenr", "händelse nr", "händelse id", "ärendenummer", "ärendenr",
        "ärende nr", "ärende id", "ärendeid", "diarienummer", "diarienr", "dnr", "anmälningsnummer",
        "anmälningsnr", "anmälan nr", "k nummer", "knummer", "k nr", "id", "event number",
        "crime id", "service request id", "nummer", "löpnummer", "löpnr", "observation id",
    ),
    "category": (
        "brottstyp", "brottskategori", "kategori", "händelsetyp", "ärendetyp", "typ", "brott",
        "brottsbenämning", "brottsrubrik", "brottsrubricering", "rubricering", "rubrik",
        "händelsekategori", "ärendekategori", "typ av händelse", "typ av ärende", "ärendeslag",
        "felkategori", "feltyp", "crime type", "category", "type", "service name", "offence",
        "brottskod",
    ),
    "from_datetime": (
        "från", "fr o m", "fr om", "from", "tidpunkt", "händelsetid", "datum och tid", "datetime",
        "occurred", "start", "brottstid från", "brottstid", "gärningstid från", "registrerad",
        "anmäld", "anmälningsdatum", "anm datum", "inkommet", "inkom", "skapad",
        "requested datetime", "rapporterad", "datum", "date", "month", "inskrivningsdatum",
        "inskrivningstid", "registreringsdatum",
    ),
    "from_date": ("från datum", "fr datum", "fr o m datum", "from datum", "startdatum", "från dag",
                  "brottsdatum", "brottsdatum från", "händelsedatum", "gärningsdatum",
                  "gärningsdatum från", "gärningsdag"),
    "from_time": ("från tid", "fr tid", "fr o m tid", "fr o m kl", "från kl", "starttid",
                  "från klockslag", "gärningstid", "gärningsklockslag", "brottstid kl", "tid",
                  "klockslag", "kl", "klockan", "tidpunkt kl", "time"),
    "to_datetime": ("till", "t o m", "to", "brottstid till", "gärningstid till", "slut"),
    "to_date": ("till datum", "t o m datum", "tom datum", "slutdatum", "till dag",
                "brottsdatum till", "gärningsdatum till"),
    "to_time": ("till tid", "t o m tid", "t o m kl", "till kl", "sluttid", "till klockslag"),
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
                  "area", "district", "basområde", "delområde"),
    "municipality": ("kommun", "kommunnamn", "kommunkod", "kommun kod", "kommunnr", "kommun nr",
                     "municipality", "location name", "ort kommun"),
    "priority": ("prioritet", "prio", "priority"),
    "photo_ref": ("foto", "bild", "photo", "fotoreferens", "image"),
    "walk_ref": ("vandring", "trygghetsvandring", "walk", "vandrings id"),
}

# Headers that are known and deliberately not stored (addresses point at homes: privacy).
NOT_STORED: tuple[str, ...] = (
    "plats", "adress", "gatuadress", "brottsplats", "händelseplats", "platsbeskrivning", "address",
    "location", "fastighet", "fastighetsbeteckning", "postnummer", "postort", "lsoa name",
    "reported by", "falls within", "last outcome category", "context", "media url",
)

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


def _forms(header: str) -> list[str]:
    """The forms a header is compared in: whole, then each part of a slashed or bracketed header
    ('Brottskod/Kategori' → 'brottskod kategori', 'brottskod', 'kategori')."""
    whole = normalise_header(header)
    forms = [whole, whole.replace(" ", "")]
    for part in re.split(r"[/()|\\,;]+", str(header)):
        norm = normalise_header(part)
        if norm and norm not in forms:
            forms.append(norm)
    return forms


def match_columns(headers: list[str], fields: tuple[str, ...]) -> dict[str, str]:
    """Map canonical fields to the file's headers, each header used at most once. A header is
    compared whole first (every field), then by its parts ('Brottskod/Kategori')."""
    forms = {h: _forms(h) for h in headers}
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for depth in ("whole", "parts"):
        for field in fields:
            if field in mapping:
                continue
            for alias in ALIASES.get(field, ()):
                hit = next((h for h, f in forms.items() if h not in used and (
                    alias in f[:2] if depth == "whole" else alias in f[2:])), None)
                if hit is not None:
                    mapping[field] = hit
                    used.add(hit)
                    break
    return mapping


def best_guess(header: str, fields: tuple[str, ...]) -> str | None:
    """The field an unplaced header most likely means (closest known name), or None."""
    norm = normalise_header(header)
    if not norm or any(norm == n or norm.startswith(n + " ") for n in NOT_STORED):
        return None
    candidates = {alias: field for field in fields for alias in ALIASES.get(field, ()) if len(alias) > 2}
    close = difflib.get_close_matches(norm, list(candidates), n=1, cutoff=0.75)
    if close:
        return candidates[close[0]]
    for alias, field in sorted(candidates.items(), key=lambda kv: -len(kv[0])):
        if len(alias) >= 4 and alias in norm:  # 'Brottstyp (text)', 'Händelsedatum 2'
            return field
    return None


def is_not_stored(header: str) -> bool:
    norm = normalise_header(header)
    return any(norm == n or norm.startswith(n + " ") for n in NOT_STORED)


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
