"""The incident classifier over real Swedish category strings: every type of the Police events API
(both files in ../shared/data), BRÅ's crime types, data.police.uk's crime types, the demo export and
the compounds and phrasings that kommunpolis exports use. Each has its expected category."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import shared_file
from workbench.schema import KIND_INCIDENT
from workbench.taxonomy import OTHER, all_categories, normalise_categories, normalise_category

POLICE_API = {
    "Alkohollagen": "ordningsstorning", "Anträffad död": OTHER, "Anträffat gods": OTHER,
    "Arbetsplatsolycka": OTHER, "Bedrägeri": "bedrageri", "Brand": "brand",
    "Brand automatlarm": "brand", "Bråk": "ordningsstorning", "Detonation": "explosion",
    "Djur": OTHER, "Efterlyst person": OTHER, "Ekobrott": OTHER, "Explosion": "explosion",
    "Farligt föremål, misstänkt": OTHER, "Fjällräddning": OTHER, "Fylleri/LOB": "ordningsstorning",
    "Förfalskningsbrott": "bedrageri", "Försvunnen person": OTHER, "Hemfridsbrott": OTHER,
    "Häleri": "stold", "Inbrott": "inbrott", "Inbrott, försök": "inbrott", "Information": OTHER,
    "Knivlagen": "vapen", "Kontroll person/fordon": OTHER, "Larm Inbrott": "inbrott",
    "Larm Överfall": "ran", "Luftfartslagen": OTHER, "Miljöbrott": OTHER, "Misshandel": "misshandel",
    "Misshandel, grov": "misshandel", "Mord/dråp": "mord_drap", "Mord/dråp, försök": "mord_drap",
    "Mordbrand": "brand", "Motorfordon, anträffat stulet": "fordonsstold",
    "Motorfordon, stöld": "fordonsstold", "Narkotikabrott": "narkotika",
    "Ofredande/förargelse": "ofredande", "Olaga frihetsberövande/människorov": OTHER,
    "Olaga hot": "hot", "Olaga intrång": OTHER, "Olovlig körning": "trafik",
    "Ordningslagen": "ordningsstorning", "Polisinsats/kommendering": OTHER, "Rattfylleri": "trafik",
    "Räddningsinsats": OTHER, "Rån": "ran", "Rån väpnat": "ran", "Rån övrigt": "ran",
    "Rån, försök": "ran", "Sabotage mot blåljusverksamhet": "skadegorelse",
    "Sammanfattning kväll och natt": "sammanfattning", "Sammanfattning natt": "sammanfattning",
    "Sedlighetsbrott": "sexualbrott", "Sjukdom/olycksfall": OTHER, "Skadegörelse": "skadegorelse",
    "Skottlossning": "vapen", "Skottlossning, misstänkt": "vapen", "Skyddslagen": OTHER,
    "Stöld": "stold", "Stöld, försök": "stold", "Stöld/inbrott": "inbrott", "Trafikbrott": "trafik",
    "Trafikhinder": OTHER, "Trafikkontroll": "trafik", "Trafikolycka": "trafikolycka",
    "Trafikolycka, personskada": "trafikolycka", "Trafikolycka, singel": "trafikolycka",
    "Trafikolycka, smitning från": "trafikolycka", "Trafikolycka, vilt": "trafikolycka",
    "Uppdatering": OTHER, "Utlänningslagen": OTHER, "Vapenlagen": "vapen",
    "Våld/hot mot tjänsteman": "misshandel", "Våldtäkt": "sexualbrott",
    "Vållande till kroppsskada": OTHER, "Åldringsbrott": "bedrageri", "Övrigt": OTHER,
}

BRA_GOTEBORG = {  # bra_goteborg_crime_counts: crime_type as written there (ASCII, underscores)
    "alla_brott": OTHER, "bilstold": "fordonsstold", "bostadsinbrott_lagenhet": "bostadsinbrott",
    "bostadsinbrott_villa": "bostadsinbrott", "misshandel": "misshandel",
    "stold_ur_fordon": "fordonsstold",
}

POLICE_UK = {
    "Anti-social behaviour": "ordningsstorning", "Bicycle theft": "cykelstold",
    "Burglary": "bostadsinbrott", "Criminal damage and arson": "skadegorelse", "Drugs": "narkotika",
    "Other crime": OTHER, "Other theft": "stold", "Possession of weapons": "vapen",
    "Public order": "ordningsstorning", "Robbery": "ran", "Shoplifting": "snatteri",
    "Theft from the person": "stold", "Vehicle crime": "fordonsstold",
    "Violence and sexual offences": "misshandel",
}

EXPORTS = {  # kommunpolis exports, the demo export and the compounds the issue names
    "Bilbrand": "brand", "Containerbrand": "brand", "Soptunnebrand": "brand",
    "Brand i bil": "brand", "Anlagd brand": "brand", "Skolbrand": "brand", "Gräsbrand": "brand",
    "Fordonsbrand": "brand", "Mopedbrand": "brand", "Bränder i papperskorgar": "brand",
    "Butiksinbrott": "inbrott", "Källarinbrott": "inbrott", "Förrådsinbrott": "inbrott",
    "Skolinbrott": "inbrott", "Inbrott i skola": "inbrott", "Inbrott i förråd": "inbrott",
    "Lägenhetsinbrott": "bostadsinbrott", "Villainbrott": "bostadsinbrott",
    "Bostadsinbrott": "bostadsinbrott", "Inbrott i lägenhet": "bostadsinbrott",
    "Inbrott i villa": "bostadsinbrott", "Fritidshusinbrott": "bostadsinbrott",
    "Bostadsinbrott, försök": "bostadsinbrott",
    "Cykelstöld": "cykelstold", "Elcykelstöld": "cykelstold", "Stöld av cykel": "cykelstold",
    "Mopedstöld": "fordonsstold", "Bilstöld": "fordonsstold", "Biltillgrepp": "fordonsstold",
    "Motorcykelstöld": "fordonsstold", "Stöld ur bil": "fordonsstold",
    "Stöld ur/från motorfordon": "fordonsstold", "Inbrott i bil": "fordonsstold",
    "Bilinbrott": "fordonsstold", "Stöld från fordon": "fordonsstold",
    "Tillgrepp av fortskaffningsmedel": "stold", "Båtmotorstöld": "stold",
    "Båtstöld": "stold", "Fickstöld": "stold", "Stöld i butik": "snatteri",
    "Butiksstöld/snatteri": "snatteri", "Snatteri": "snatteri", "Butiksstöld": "snatteri",
    "Butiksrån": "ran", "Rånförsök": "ran", "Personrån": "ran", "Väskryckning": "ran", "Grovt rån": "ran",
    "Klotterskadegörelse": "klotter", "Skadegörelse genom klotter": "klotter", "Klotter": "klotter",
    "Graffiti": "klotter", "Skadegörelse på fordon": "skadegorelse",
    "Skadegörelse, fönsterkross": "skadegorelse", "Grov skadegörelse": "skadegorelse",
    "Misshandel, utomhus": "misshandel", "Misshandel, inomhus": "misshandel",
    "Misshandel, närstående": "vald_i_nara_relation", "Våld i nära relation": "vald_i_nara_relation",
    "Grov kvinnofridskränkning": "vald_i_nara_relation", "Grov fridskränkning": "vald_i_nara_relation",
    "Olaga hot": "hot", "Dödshot": "hot", "Ofredande": "ofredande", "Sexuellt ofredande": "ofredande",
    "Narkotikabrott, innehav": "narkotika", "Narkotikabrott, eget bruk": "narkotika",
    "Ringa narkotikabrott": "narkotika", "Ordningsstörning": "ordningsstorning",
    "Störande av allmän ordning": "ordningsstorning", "Rattfylleri, drograttfylleri": "trafik",
    "Grov olovlig körning": "trafik", "Trafikolycka med cykel": "trafikolycka",
    "Viltolycka": "trafikolycka", "Mord": "mord_drap", "Mordförsök": "mord_drap",
    "Bedrägeri, kortbedrägeri": "bedrageri", "Internetbedrägeri": "bedrageri",
    "Vapenbrott": "vapen", "Brott mot knivlagen": "vapen", "Sprängning": "explosion",
    "Okänd kategori": OTHER, "Fyrverkerier": OTHER,
}

ALL = {**POLICE_API, **BRA_GOTEBORG, **POLICE_UK, **EXPORTS}


def test_the_list_is_large_enough_and_covers_every_police_api_type_in_shared_data():
    assert len(ALL) >= 150
    types = set()
    for name in ("events_2025-01_to_2025-03.json", "events_target_kommuner_2023-2026.json"):
        records = json.loads(shared_file("polisen_events", name).read_text(encoding="utf-8"))
        records = records if isinstance(records, list) else records.get("events", [])
        types |= {r["type"] for r in records}
    assert types <= set(POLICE_API), sorted(types - set(POLICE_API))
    bra = pd.read_csv(shared_file("bra_goteborg_crime_counts", "bra-goteborg-stadsomraden.csv"))
    assert set(bra["crime_type"]) <= set(BRA_GOTEBORG)


@pytest.mark.parametrize("original,expected", sorted(ALL.items()))
def test_category(original, expected):
    assert normalise_category(original, KIND_INCIDENT) == expected


def test_every_expected_key_is_a_category_the_mapping_page_offers():
    keys = {k for k, _ in all_categories(KIND_INCIDENT)}
    assert set(ALL.values()) <= keys
    assert len(keys) == len(all_categories(KIND_INCIDENT))  # each offered once


def test_unknown_goes_to_ovrigt_and_the_organisations_own_mapping_wins():
    originals = pd.Series(["Fyrverkerier", "Bilbrand", None])
    assert normalise_categories(originals, KIND_INCIDENT).tolist() == [OTHER, "brand", OTHER]
    own = {"fyrverkerier": "ordningsstorning"}
    assert normalise_categories(originals, KIND_INCIDENT, own).tolist()[:2] == ["ordningsstorning", "brand"]
