"""Which organisations an import may write to: never a made-up one, and one kommun's rows only."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy import select

from workbench.errors import ImportProblem, NotFoundError
from workbench.geo.kommuner import kommun_code
from workbench.io.importers.base import ParsedFile
from workbench.store import repositories as repo
from workbench.store import tables
from workbench.store.db import BoundStore, Store

AnyStore = Store | BoundStore


def organisation_to_create(store: Store, name: str, *, create: bool) -> bool:
    """Whether an import must create the organisation ``name``: only when asked to, or when the
    database holds no organisation yet. A name that is not there (a typing mistake) is an error."""
    orgs = repo.list_organisations(store.engine)
    if name in set(orgs["name"]):
        return False
    if create or orgs.empty:
        return True
    known = ", ".join(orgs["name"].astype(str).head(12))
    raise NotFoundError(f"Organisationen '{name}' finns inte (finns: {known}). Skriv namnet som det "
                        "står, eller lägg till --create-organisation för att skapa en ny.")


def database_is_empty(store: Store) -> bool:
    """No organisation yet: a police area's file then creates one organisation per kommun."""
    return repo.list_organisations(store.engine).empty


def drop_empty_organisation(store: AnyStore, name: str) -> None:
    """Remove an organisation that was created for an import that then failed."""
    with store.transaction() as conn:
        org_id = repo.find_organisation(conn, name)
        if org_id is not None:
            repo.delete_organisation(conn, org_id)


def only_own_kommun(store: AnyStore, parsed: ParsedFile, organisation: str) -> ParsedFile:
    """A file with a kommun column imported into one organisation: rows that name another
    kommun are reported per row and left out (route the file to import them all)."""
    given = parsed.extra.get("municipality")
    if given is None or parsed.frame.empty:
        return parsed
    table = tables.Organisation.__table__
    with store.transaction() as conn:
        own = conn.execute(select(table.c.municipality_code).where(table.c.name == organisation)).scalar()
    own = own or kommun_code(organisation)
    if own is None:
        return parsed
    values = pd.Series(given).reset_index(drop=True).astype("string")
    codes = values.map({v: kommun_code(v) for v in values.dropna().unique()})
    other = (codes.notna() & codes.ne(own)).to_numpy(dtype=bool)
    if not other.any():
        return parsed
    rows = parsed.source_rows if parsed.source_rows is not None else pd.RangeIndex(len(values)) + 2
    problems = [ImportProblem(parsed.file_name, int(rows[i]), "kommun",
                              f"raden gäller {values.iloc[i]}, inte {organisation}")
                for i in other.nonzero()[0]]
    keep = ~other
    return replace(parsed, frame=parsed.frame[keep].reset_index(drop=True),
                   problems=sorted(parsed.problems + problems, key=lambda p: p.row or 0),
                   rejected=parsed.rejected + int(other.sum()),
                   source_rows=rows[keep] if parsed.source_rows is not None else None,
                   extra={**parsed.extra, "municipality": values[keep].reset_index(drop=True)})
