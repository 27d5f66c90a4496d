"""The shared category taxonomy: original categories from any source → one normalised key.

The mapping is a table of (key, Swedish label, patterns); the first pattern that matches the
lower-cased original wins, so the more specific rules come first. The original is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from workbench.schema import KIND_FAULT_REPORT, KIND_INCIDENT, KIND_WALK_OBSERVATION

OTHER = "ovrigt"


@dataclass(frozen=True)
class CategoryRule:
    key: str
    label: str
    patterns: tuple[str, ...]


SUMMARY = "sammanfattning"

# Swedish compounds put the head last: a "bilbrand" is a fire, a "bilstöld" a vehicle theft, a
# "butiksinbrott" a break-in. The rules read the compound (prefix + head, \w* inside a word), not
# a word boundary, and the more specific ones come first. They run on the lower-cased original
# with "_" and "/" read as spaces (BRÅ's "stold_ur_fordon", the police's "Fylleri/LOB").
_VEHICLE = r"(?:bil|fordon|motorfordon|moped|mc|motorcykel|lastbil|släp|husvagn|epa|traktor)"
_HOME = r"(?:bostad|lägenhet|lagenhet|villa|radhus|fritidshus|hus|hem)"
INCIDENT_RULES: tuple[CategoryRule, ...] = (
    CategoryRule(SUMMARY, "Sammanfattning (flera händelser)", (r"^sammanfattning",)),
    CategoryRule("vald_i_nara_relation", "Våld i nära relation",
                 (r"n[äa]rst[åa]ende", r"n[äa]ra relation", r"domestic", r"fridskr[äa]nkning",
                  r"kvinnofrid")),
    CategoryRule("klotter", "Klotter", (r"klotter", r"graffiti", r"\btagg(?:ning|ar)?\b")),
    CategoryRule("skadegorelse", "Skadegörelse", (r"criminal damage",)),  # "… and arson" (UK)
    CategoryRule("brand", "Brand", (r"\w*brand\b", r"\w*br[äa]nder\b", r"\w*brand(?:larm|s)",
                                    r"\barson")),
    CategoryRule("explosion", "Explosion/detonation", (r"explosion", r"detonation", r"spr[äa]ng")),
    CategoryRule("skadegorelse", "Skadegörelse", (r"skadeg[öo]relse", r"vandalism", r"sabotage")),
    CategoryRule("ovrigt", "Övrigt", (r"kontroll person",)),  # "Kontroll person/fordon" is no theft
    CategoryRule("trafikolycka", "Trafikolycka", (r"trafikolycka", r"olycka.*trafik", r"viltolycka",
                                                  r"smitning")),
    CategoryRule("bostadsinbrott", "Bostadsinbrott",
                 (rf"\b{_HOME}\w*inbrott", rf"inbrott\w* i {_HOME}", r"burglary")),
    CategoryRule("fordonsstold", "Stöld ur/av fordon",
                 (rf"\b{_VEHICLE}\w*(?:st[öo]ld|inbrott|tillgrepp|stulen|stulet)",
                  rf"(?:st[öo]ld|inbrott|tillgrepp)\w* (?:ur|fr[åa]n|av|i|p[åa]) (?:\w+ )?\w*{_VEHICLE}\b",
                  r"motorfordon", r"vehicle", r"st[öo]ld ur fordon")),
    CategoryRule("cykelstold", "Cykelstöld", (r"cykel", r"bicycle")),
    CategoryRule("inbrott", "Inbrott (övrigt)", (r"inbrott",)),
    CategoryRule("ran", "Rån", (r"\b(?!fr[åa]n\b)\w*r[åa]n\b", r"\brån", r"v[äa]skryck", r"robbery", r"[öo]verfall")),
    CategoryRule("snatteri", "Butiksstöld/snatteri",
                 (r"snatteri", r"butiks(?:st[öo]ld|tillgrepp)", r"st[öo]ld i butik", r"shoplifting")),
    CategoryRule("stold", "Stöld", (r"st[öo]ld", r"stulen", r"stulet", r"tillgrepp", r"theft",
                                    r"h[äa]leri")),
    CategoryRule("misshandel", "Misshandel", (r"misshandel", r"\bv[åa]ld\b", r"violen", r"assault",
                                              r"slagsm[åa]l")),
    CategoryRule("hot", "Olaga hot", (r"\bhot\b", r"olaga hot", r"d[öo]dshot", r"hotfull")),
    CategoryRule("ofredande", "Ofredande", (r"ofredande", r"f[öo]rargelse")),
    CategoryRule("sexualbrott", "Sexualbrott", (r"v[åa]ldt[äa]kt", r"sedlighet", r"sexual", r"sexuell",
                                                r"koppleri", r"blottning")),
    CategoryRule("narkotika", "Narkotikabrott", (r"narkotika", r"drug", r"langning")),
    CategoryRule("trafik", "Trafikbrott", (r"rattfylleri", r"rattonykterhet", r"trafikbrott",
                                           r"olovlig k[öo]rning", r"trafikkontroll", r"hastighet",
                                           r"v[åa]rdsl[öo]shet i trafik")),
    CategoryRule("ordningsstorning", "Ordningsstörning",
                 (r"ordning", r"br[åa]k", r"fylleri", r"\blob\b", r"anti-social", r"public order",
                  r"st[öo]rande", r"alkohollag")),
    CategoryRule("mord_drap", "Mord/dråp", (r"\bmord\b", r"mordf[öo]rs[öo]k", r"dr[åa]p", r"homicide")),
    CategoryRule("bedrageri", "Bedrägeri", (r"bedr[äa]geri", r"fraud", r"f[öo]rfalskning",
                                            r"[åa]ldringsbrott")),
    CategoryRule("vapen", "Vapenbrott", (r"vapen", r"weapon", r"kniv", r"skottlossning", r"skjutning")),
)

FAULT_REPORT_RULES: tuple[CategoryRule, ...] = (
    CategoryRule("klotter", "Klotter", (r"klotter", r"graffiti", r"tagg")),
    CategoryRule("belysning", "Trasig belysning", (r"belysning", r"lampa", r"armatur", r"ljus", r"light")),
    CategoryRule("nedskrapning", "Nedskräpning", (r"nedskr[äa]p", r"skr[äa]p", r"sop", r"litter", r"dumping")),
    CategoryRule("vegetation", "Vegetation/skymd sikt", (r"vegetation", r"skymd", r"buskar", r"tr[äa]d")),
    CategoryRule("skadegorelse", "Skadegörelse", (r"skadeg[öo]relse", r"klotter", r"vandal", r"krossad")),
    CategoryRule("inbrott", "Inbrott", (r"inbrott",)),
)

WALK_RULES: tuple[CategoryRule, ...] = (
    CategoryRule("belysning", "Belysning", (r"belysning", r"ljus", r"m[öo]rk", r"lampa")),
    CategoryRule("skymd_sikt", "Skymd sikt/vegetation", (r"skymd", r"sikt", r"vegetation", r"buskar")),
    CategoryRule("nedskrapning", "Nedskräpning", (r"nedskr[äa]p", r"skr[äa]p")),
    CategoryRule("klotter", "Klotter", (r"klotter",)),
    CategoryRule("otrygg_passage", "Otrygg passage", (r"otrygg", r"passage", r"tunnel")),
    CategoryRule("trafik", "Trafik", (r"trafik",)),
)

RULES_BY_KIND = {
    KIND_INCIDENT: INCIDENT_RULES,
    KIND_FAULT_REPORT: FAULT_REPORT_RULES,
    KIND_WALK_OBSERVATION: WALK_RULES,
}

# Categories that point at homes: stored at area precision only, never mapped as points.
DEFAULT_SENSITIVE_CATEGORIES: frozenset[str] = frozenset({"vald_i_nara_relation"})

# Keys that are not incidents of their own and stay out of counts and hot-spots.
NOT_COUNTED: frozenset[str] = frozenset({SUMMARY})


@lru_cache(maxsize=8)
def _compiled(kind: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (rule.key, re.compile("|".join(rule.patterns))) for rule in RULES_BY_KIND[kind]
    )


def all_categories(kind: str) -> list[tuple[str, str]]:
    """(key, label) of every normalised category of ``kind``, plus 'ovrigt' (each key once)."""
    seen: dict[str, str] = {}
    for rule in RULES_BY_KIND[kind]:
        seen.setdefault(rule.key, rule.label)
    seen.setdefault(OTHER, "Övrigt")
    return list(seen.items())


def normalise_category(original: str | None, kind: str) -> str:
    """Normalised key of one original category.

    >>> normalise_category("Misshandel, närstående", "incident")
    'vald_i_nara_relation'
    >>> normalise_category("Skadegörelse genom klotter", "incident")
    'klotter'
    >>> normalise_category("Okänd kategori", "fault_report")
    'ovrigt'
    """
    if original is None or pd.isna(original):
        return OTHER
    text = re.sub(r"[_/]+", " ", str(original).strip().lower())
    for key, pattern in _compiled(kind):
        if pattern.search(text):
            return key
    return OTHER


def normalise_categories(originals: pd.Series, kind: str,
                         overrides: dict[str, str] | None = None) -> pd.Series:
    """Vectorised over the distinct values of ``originals``.

    ``overrides`` (original, lower-cased and stripped → key) is the organisation's own mapping
    table and wins over the built-in rules.
    """
    codes, uniques = pd.factorize(originals)  # missing → -1; a million rows, a hundred values
    own = overrides or {}
    keys = [own.get(str(value).strip().lower()) or normalise_category(value, kind) for value in uniques]
    mapped = np.array([*keys, OTHER], dtype=object)[codes]  # -1 picks the OTHER at the end
    return pd.Series(mapped, index=originals.index, dtype="string", name=originals.name)


def category_label(key: str) -> str:
    """Swedish label of a normalised key (any kind)."""
    for rules in RULES_BY_KIND.values():
        for rule in rules:
            if rule.key == key:
                return rule.label
    return "Övrigt" if key == OTHER else key
