"""The audit log as a table a person reads (Logg page) and exports (CSV/Excel)."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

VERB_LABELS = {
    "insert": "skapade", "update": "ändrade", "delete": "tog bort", "import": "importerade",
    "export": "exporterade", "sign_in": "loggade in", "sign_in_failed": "misslyckad inloggning",
    "user_add": "lade till användare", "user_change": "ändrade användare",
    "user_remove": "tog bort användare", "close": "avslutade",
}


# what an entry concerns (the store's entity names, import kinds and export names) in Swedish
ENTITY_LABELS = {
    "action": "åtgärd", "agreement": "överenskommelse", "area_indicator": "områdesindikator",
    "area_indicators": "områdesindikatorer", "areas": "områden", "audit_log": "logg",
    "category_mapping": "kategorimappning", "cause_analysis": "orsaksanalys",
    "fault_report": "felanmälningar", "feedback": "återkoppling", "housing_report": "bostadsbolagets ärenden",
    "import_profile": "importprofil", "incident": "polisens händelser", "minutes": "protokoll",
    "organisation": "organisation", "place": "plats", "places": "platser", "plan_area": "planområde",
    "planning": "trygghetsbedömning", "safety_walk": "trygghetsvandring", "session": "inloggning",
    "situation": "EST-möte/lägesbild", "user": "användare", "walk_observation": "vandringsiakttagelser",
    "action-plan": "åtgärdsplan", "action_plan": "åtgärdsplan", "agreement-follow-up": "uppföljning av överenskommelse",
}
# the fields of before/after in Swedish (others are shown with their own name, underscores as spaces)
FIELD_LABELS = {
    "text": "Text", "responsible_party": "Ansvarig part", "responsible_role": "Ansvarig roll",
    "start_date": "Start", "due_date": "Klart senast", "status": "Status", "commitments": "Åtaganden",
    "promises": "Löften", "place_id": "Plats (id)", "file": "Fil", "imported": "Importerade",
    "duplicates": "Dubbletter", "rejected": "Avvisade", "redacted": "Maskerade", "crs": "Koordinatsystem",
    "problems": "Problem", "inserted": "Nya", "updated": "Ändrade", "layer": "Lager", "title": "Rubrik",
    "created_by": "Skapad av", "notes": "Anteckningar", "public_summary": "Publik sammanfattning",
    "closed_at": "Avslutat", "closed_by": "Avslutat av", "kind": "Typ", "parties": "Parter",
    "period": "Period", "actions": "Åtgärder", "focus_areas": "Fokusområden", "meeting_date": "Mötesdatum",
    "period_start": "Period från", "period_end": "Period till", "period_kind": "Periodtyp",
    "area_ids": "Områden (id)", "public": "Publik", "area_id": "Område (id)", "situation_id": "Möte (id)",
    "name": "Namn", "reference": "Jämförelse", "source": "Källa", "buffer_m": "Omgivning (m)",
    "area_m2": "Yta (m²)", "version": "Version", "area_statuses": "Områdenas status", "role": "Roll",
    "rows": "Rader", "problem": "Problem", "causes": "Orsaker", "evidence": "Underlag",
    "analysis": "Analys", "hypothesis": "Hypotes", "conclusion": "Slutsats", "username": "Användarnamn",
    "organisation": "Organisation", "areas": "Områden", "display_name": "Visningsnamn",
    "decision": "Beslut", "outcome": "Utfall", "created_at": "Skapad", "updated_at": "Ändrad",
    "category": "Kategori", "categories": "Kategorier", "radius_m": "Radie (m)", "description": "Beskrivning",
    "meeting": "Möte", "date": "Datum", "from": "Från", "to": "Till", "count": "Antal",
    "level": "Nivå", "motivation": "Motivering", "cause": "Orsak", "action": "Åtgärd",
    "responsible": "Ansvarig", "follow_up": "Uppföljning", "start": "Start", "end": "Slut",
    "attendees": "Närvarande", "adjusted_by": "Justeras av", "next_meeting": "Nästa möte",
    "trend": "Trend", "decisions": "Beslut", "priority": "Prioritet", "comment": "Kommentar",
}
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?$")


def entity_label(entity: Any) -> str:
    return ENTITY_LABELS.get(str(entity), str(entity).replace("_", " ").replace("-", " "))


def field_label(key: Any) -> str:
    return FIELD_LABELS.get(str(key), str(key).replace("_", " ").capitalize())


def readable(value: Any) -> str:
    """A stored value as text a person reads: 'ja'/'nej', lists joined, mappings as 'Fält: värde'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {readable(v)}" if not str(k).isdigit() else f"({k}) {readable(v)}"
                         for k, v in value.items() if readable(v) != "")
    if isinstance(value, list | tuple):
        return ", ".join(readable(v) for v in value)
    if isinstance(value, float):
        from workbench.numbers import decimal

        return decimal(value, 0 if value.is_integer() else 2)
    if isinstance(value, int):
        from workbench.numbers import integer

        return integer(value)
    text = str(value)
    if match := _ISO_TIME.match(text):  # 2026-12-04T19:39:05.123 → 2026-12-04 19:39
        return f"{match.group(1)} {match.group(2)}"
    return text


def changes(before: Any, after: Any) -> pd.DataFrame:
    """One entry's before and after as a table: Fält | Före | Efter (one row per field)."""
    before = before if isinstance(before, dict) else ({} if before is None else {"": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"": after})
    keys = list(dict.fromkeys([*before, *after]))
    return pd.DataFrame({"Fält": [field_label(k) if k else "Värde" for k in keys],
                         "Före": [readable(before.get(k)) for k in keys],
                         "Efter": [readable(after.get(k)) for k in keys]})


def _json(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return json.dumps(value, ensure_ascii=False, default=str)


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """``store.audit.entries`` as Swedish columns: time, who, what (in words), what it concerns
    (in words), id, before and after as readable text ('Fält: värde; …')."""
    return pd.DataFrame({
        "Tid": pd.to_datetime(log["at"]).dt.strftime("%Y-%m-%d %H:%M:%S") if len(log) else [],
        "Vem": log["actor"], "Händelse": [VERB_LABELS.get(v, v) for v in log["verb"]],
        "Gäller": [entity_label(e) for e in log["entity"]], "Id": log["entity_id"].fillna("") if len(log) else [],
        "Före": [readable(v) for v in log["before"]], "Efter": [readable(v) for v in log["after"]],
    })
