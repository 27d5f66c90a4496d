"""Issue 15, item 4: recall over a planted set and precision over the real texts of ../shared/data.

Recall: ``PER_KIND`` values of each kind, in the variants people type (dashes of every kind, dots,
spaces, prefixes, 12-digit forms, samordningsnummer, +46, (at)), are planted at a word boundary in
real police summaries; a planting counts as found when the value is gone and the marker of its
kind is there. Precision: every string of the real files is scanned. Fields that cannot hold
personal data (titles, types, place names, coordinates, dates, ids, kommun codes, categories,
case numbers) must come out unchanged; in the free texts every hit is classified (the hits were
reviewed by hand: the police texts' hits are the press service's phone numbers and e-mail
addresses and one registration number; Open311's are e-mail addresses and US plates after
"plate", the rest are false positives such as "BOS 311"). The measured figures are in the README
(Integritet); ``-s`` prints them.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.conftest import shared_file
from workbench.anonymise import scan
from workbench.anonymise.scan import luhn_ok, redact_text

PER_KIND = 300
SEED = 15


def _check_digit(nine: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(nine + d))


def _personal_id(rng: random.Random) -> str:
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 365 * 90))
    day = born.day + (60 if rng.random() < 0.15 else 0)  # samordningsnummer
    yymmdd = f"{born:%y%m}{day:02d}"
    nine = yymmdd + f"{rng.randrange(0, 1000):03d}"
    ten = nine + _check_digit(nine)
    head, tail = ten[:6], ten[6:]
    if rng.random() < 0.3:
        head = f"{born.year // 100}{head}"
    sep = rng.choice(["-", "-", "\u2013", "\u2014", ".", " ", "", "+", " - ", "\u2011"])
    prefix = rng.choice(["", "", "pnr ", "pnr-", "pnr:", "Pnr: ", "personnummer ", "PNR", "nr "])
    return prefix, f"{head}{sep}{tail}"


def _phone(rng: random.Random) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(7))
    if rng.random() < 0.6:  # mobile 07X-XXX XX XX
        area, rest = f"07{rng.choice('02369')}", digits
        groups = [rest[:3], rest[3:5], rest[5:]]
    else:  # landline 08-XXX XX XX, 031-XX XX XX, 0910-XXXXX
        area = rng.choice(["08", "031", "040", "0910", "018", "013"])
        rest = digits[: 9 - len(area) + 1] if len(area) < 4 else digits[:6]
        groups = [rest[:3], rest[3:5], rest[5:]] if len(rest) == 7 else [rest[:2], rest[2:4], rest[4:]]
    style = rng.randrange(7)
    if style == 0:
        return f"{area}-{' '.join(groups)}"
    if style == 1:
        return f"{area}.{'.'.join(groups)}"
    if style == 2:
        return f"{area} {' '.join(groups)}"
    if style == 3:
        return f"{area}{''.join(groups)}"
    if style == 4:
        return f"+46 {area[1:]} {' '.join(groups)}"
    if style == 5:
        return f"+46(0){area[1:]}-{''.join(groups)}"
    return f"{rng.choice(['0046', '+46'])}{area[1:]}{''.join(groups)}"


def _email(rng: random.Random) -> str:
    first = rng.choice(["anna", "lars", "örjan", "fatima", "per-olof", "mohammed", "jön", "k"])
    last = rng.choice(["svensson", "al-khalil", "nguyen", "åberg", "lind"])
    local = rng.choice([f"{first}.{last}", f"{first}{rng.randrange(100)}", f"{first}+est", first])
    domain = rng.choice(["gmail.com", "hotmail.se", "boras.se", "bostad.kommun.se", "example.org"])
    at = rng.choice(["@", "@", "@", "@", " (at) ", "[at]"])
    return f"{local}{at}{domain}"


_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"


def _plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(_PLATE_LETTERS) for _ in range(3))
    if letters in {"SEK", "EUR", "USD", "GBP", "NOK", "DKK", "SOS", "CET", "UTC", "GMT", "BMW", "SFS", "LSS"}:
        letters = "ABC"  # the few acronyms the scanner deliberately leaves alone
    last = rng.choice("0123456789" + _PLATE_LETTERS)
    sep = rng.choice(["", " ", "-"])
    return f"{letters}{sep}{rng.randrange(10)}{rng.randrange(10)}{last}"


def _summaries() -> list[str]:
    events = json.loads(shared_file("polisen_events", "events_2025-01_to_2025-03.json").read_text("utf-8"))
    return [e["summary"] for e in events if len(e.get("summary") or "") > 40]


def _plant(rng: random.Random, text: str, value: str) -> str:
    cuts = [i for i, ch in enumerate(text) if ch == " "]
    at = rng.choice(cuts)
    lead = rng.choice(["", "Anmälaren nås på ", "kontakt: ", "uppgift ", "(", ""])
    tail = ")" if lead == "(" else rng.choice(["", ".", ",", " ", "!"])
    return f"{text[:at]} {lead}{value}{tail}{text[at:]}"


def measure_recall() -> dict[str, tuple[int, int, int]]:
    """Per kind: (planted, removed, removed and named as the right kind)."""
    rng = random.Random(SEED)
    summaries = _summaries()
    makers = {scan.KIND_PERSONAL_ID: lambda: "".join(_personal_id(rng)), scan.KIND_PHONE: lambda: _phone(rng),
              scan.KIND_EMAIL: lambda: _email(rng), scan.KIND_PLATE: lambda: _plate(rng)}
    outcome = {}
    for kind, make in makers.items():
        removed = right_kind = 0
        for _ in range(PER_KIND):
            value = make()
            core = value.split(":")[-1].strip() if kind == scan.KIND_PERSONAL_ID else value
            for prefix in ("pnr-", "pnr ", "personnummer ", "PNR", "nr ", "pnr", "Pnr "):
                core = core.removeprefix(prefix)
            result = redact_text(_plant(rng, rng.choice(summaries), value))
            if core not in result.text:
                removed += 1
                right_kind += result.found[kind] >= 1
        outcome[kind] = (PER_KIND, removed, right_kind)
    return outcome


def test_recall_over_the_planted_set():
    outcome = measure_recall()
    print("\nrecall", {k: f"{r}/{n} (rätt slag {k_ok})" for k, (n, r, k_ok) in outcome.items()})
    for kind, (planted, removed, right_kind) in outcome.items():
        assert removed / planted >= 0.99, f"{kind}: {removed} av {planted} maskerade"
        assert right_kind / planted >= 0.95, f"{kind}: {right_kind} av {planted} rätt slag"


@pytest.mark.parametrize("text", [
    "811218–9876", "pnr-811218-9876", "811218.9876", "19811218 9876", "198112189876",
    "811278-9873", "070.123.45.67", "+46 (0)70-123 45 67", "0046701234567", "ABC-123", "ABC 12A",
    "anna.svensson(at)gmail.com",
])
def test_the_variants_named_in_the_issue_are_redacted(text):
    result = redact_text(f"Uppgift: {text}, klart.")
    assert result.found, text
    assert text not in result.text


def _structured_strings():
    """Real values that are never personal data: they must come out unchanged."""
    events = []
    for name in ("events_2025-01_to_2025-03.json", "events_target_kommuner_2023-2026.json"):
        events += json.loads(shared_file("polisen_events", name).read_text("utf-8"))
    for e in events:
        yield from (e["name"], e["type"], e["datetime"], e["url"], e["location"]["name"], e["location"]["gps"])
    with shared_file("polisen_events", "swedish_admin_areas.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            yield from row
    with shared_file("bra_goteborg_crime_counts", "bra-goteborg-stadsomraden.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            yield from row
    for folder, month in (("city_of_london_2023", "2023-06-city-of-london-street.csv"),
                          ("metropolitan_2025-01_burglary_only", "2025-01-metropolitan-street.csv")):
        with shared_file("uk_police_street_crime", folder, month).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield from (v for k, v in row.items() if k != "Context" and v)
    requests = json.loads(shared_file("open311_boston_2019", "boston_open311_requests_2019.json").read_text("utf-8"))
    for r in requests:
        yield from (str(r.get(k)) for k in ("service_request_id", "service_name", "service_code",
                                            "requested_datetime", "updated_datetime", "address", "lat", "long")
                    if r.get(k) is not None)
    # What the team writes in ordinary fields: dates, times, case numbers, codes, coordinates, sums.
    yield from ("2025-03-05 14:30", "05.03.2025", "5/3 2025", "kl 08.30-09.45", "08.30–09.30", "0200-0700",
                "Ärende 5000-K123456-26", "K123456-26", "Dnr KS 2025/0123", "Kommunkod 1490, län 14",
                "57.721035,12.939819", "SWEREF 99 TM 6401234 318765", "1 126 händelser", "3,9 %",
                "Belopp 12 500 kr", "SEK 100", "SOS 112", "BMW 330", "Vecka 7, 2025-02-10", "organisationsnummer 212000-1355",
                "Postnummer 503 38 Borås", "2026-12-04 18:08:05.012345",
                "2026-12-04T18:08:05.012345+01:00", "0.0123456789", "12.0701234567", "Tel. 112", "114 14", "Skadegörelse, klotter", "Plan 2025:04")


def test_ordinary_real_values_are_never_eaten():
    eaten = [text for text in _structured_strings() if redact_text(text).text != text]
    assert eaten == []


def _free_texts():
    for name in ("event_texts_2025-01_to_2025-03.jsonl", "event_texts_target_kommuner_2023-2026.jsonl"):
        with shared_file("polisen_events", name).open(encoding="utf-8") as handle:
            for line in handle:
                e = json.loads(line)
                yield "polisen", " ".join(filter(None, (e.get("title"), e.get("preamble"), e.get("body"))))
    for name in ("events_2025-01_to_2025-03.json", "events_target_kommuner_2023-2026.json"):
        for e in json.loads(shared_file("polisen_events", name).read_text("utf-8")):
            yield "polisen", e["summary"]
    requests = json.loads(shared_file("open311_boston_2019", "boston_open311_requests_2019.json").read_text("utf-8"))
    for r in requests:
        for key in ("description", "status_notes"):
            if r.get(key):
                yield "open311", r[key]


def _is_true_hit(source: str, kind: str, text: str, start: int) -> bool:
    """The hand review as a rule: which hits in the real free texts are real personal data."""
    if kind == scan.KIND_EMAIL:
        return True
    if source == "polisen":  # the press service's numbers (010-, 076-) and one plate the police named
        return kind in (scan.KIND_PHONE, scan.KIND_PLATE)
    if kind == scan.KIND_PLATE:  # US plates in Open311, written after "plate"/"Registration"
        before = text[max(0, start - 45):start].lower()
        return "plate" in before or "registration" in before
    return False


def measure_precision() -> dict[str, tuple[int, int, int, Counter]]:
    """Per source: (texts scanned, true hits, false hits, false hits per kind) over the free texts."""
    patterns = [(scan.KIND_EMAIL, scan._EMAIL), (scan.KIND_PERSONAL_ID, scan._PERSONAL_ID),
                (scan.KIND_PHONE, scan._PHONE), (scan.KIND_PLATE, scan._PLATE)]
    outcome: dict[str, list] = {}
    for source, text in _free_texts():
        counts = outcome.setdefault(source, [0, 0, 0, Counter()])
        counts[0] += 1
        if not redact_text(text).found:
            continue
        for kind, pattern in patterns:
            for match in pattern.finditer(text):
                if kind == scan.KIND_PERSONAL_ID and not scan._is_personal_id(match):
                    continue
                if _is_true_hit(source, kind, text, match.start()):
                    counts[1] += 1
                else:
                    counts[2] += 1
                    counts[3][kind] += 1
    return {source: tuple(counts) for source, counts in outcome.items()}


def test_precision_over_the_real_free_texts():
    outcome = measure_precision()
    print("\nprecision", {s: f"{n} texter, {t} rätta träffar, {f} falska {dict(k)}"
                          for s, (n, t, f, k) in outcome.items()})
    n, true, false, _kinds = outcome["polisen"]
    assert n > 13_000 and true >= 40
    assert false == 0  # Swedish police texts: nothing but real numbers, addresses and one plate
    n, true, false, kinds = outcome["open311"]
    assert n > 20_000 and true >= 40
    assert kinds[scan.KIND_PERSONAL_ID] == 0 and kinds[scan.KIND_PHONE] == 0
    assert false <= 60  # "BOS 311" (the city's app, 55 times), "NOT 689", "BPS 547": plate-shaped
