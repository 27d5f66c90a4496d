"""The Logg page shows the audit log in Swedish: what an entry concerns, and before/after as text
and as a field table, never as JSON or code names."""

from __future__ import annotations

import pandas as pd

from workbench.reports.audit_log import audit_table, changes, entity_label, readable


def test_entities_and_values_read_as_swedish():
    assert entity_label("safety_walk") == "trygghetsvandring"
    assert entity_label("cause_analysis") == "orsaksanalys"
    text = readable({"area_statuses": {"1": {"level": "orange", "motivation": "Fler rån"}},
                     "closed_at": "2026-12-04T19:39:05.123", "public": True, "imported": 1234})
    assert text == ("Områdenas status: (1) Nivå: orange; Motivering: Fler rån; Avslutat: 2026-12-04 19:39; "
                    "Publik: ja; Importerade: 1\u202f234")
    assert "{" not in text and '"' not in text


def test_the_table_and_one_entry_field_by_field():
    log = pd.DataFrame({"at": ["2026-12-04 19:39:05"], "actor": ["kim"], "verb": ["update"],
                        "entity": ["action"], "entity_id": [None],
                        "before": [{"status": "planerad"}], "after": [{"status": "pågår", "due_date": "2026-12-01"}]})
    table = audit_table(log)
    assert table.iloc[0].to_dict() == {"Tid": "2026-12-04 19:39:05", "Vem": "kim", "Händelse": "ändrade",
                                       "Gäller": "åtgärd", "Id": "", "Före": "Status: planerad",
                                       "Efter": "Status: pågår; Klart senast: 2026-12-01"}
    fields = changes(log["before"].iloc[0], log["after"].iloc[0])
    assert fields.to_dict("list") == {"Fält": ["Status", "Klart senast"], "Före": ["planerad", ""],
                                      "Efter": ["pågår", "2026-12-01"]}
