"""The administration commands of ``workbench``: ``user`` (add, list, remove accounts and roles),
``backup`` and ``restore``.

Registered in cli.py; the shared helpers (settings, messages, the actor) come from there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.config import from_env
from workbench.errors import WorkbenchError
from workbench.roles import ROLES


def _base():
    """The CLI's shared helpers (imported when run: workbench.cli imports this module)."""
    from workbench import cli

    return cli


def _new_password(args: argparse.Namespace, username: str) -> str:
    from getpass import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    given = from_env("new_password")
    if given:
        return given
    first = getpass(f"Nytt lösenord för {username}: ")
    if getpass("Upprepa lösenordet: ") != first:
        raise WorkbenchError("Lösenorden var inte lika; inget konto skapades.")
    return first


def cmd_user(args: argparse.Namespace) -> int:
    from workbench.store import accounts
    from workbench.store.db import open_store

    settings = _base()._settings(args)
    store = open_store(settings.db_url)
    if args.user_command == "list":
        users = accounts.list_users(store.engine)
        payload: list[dict[str, Any]] = [{"username": u.username, "name": u.display_name, "login": "lokal" if u.local else "oidc",
                    "active": u.active, "last_sign_in": str(u.last_sign_in_at or ""),
                    "roles": [{"organisation": m.organisation, "role": m.role, "areas": list(m.areas or []),
                               "verksamhet": m.verksamhet} for m in u.memberships]} for u in users]
        text = "\n".join(f"{u['username']} ({u['login']}): " + ", ".join(
            f"{r['role']} i {r['organisation']}" + (f" [{', '.join(r['areas'])}]" if r["areas"] else "")
            + (f" för {r['verksamhet']}" if r["verksamhet"] else "")
            for r in u["roles"]) for u in payload) or "Inga konton."
        _base()._emit(args, {"users": payload}, text)
        return 0
    if args.user_command == "remove":
        accounts.remove_user(store.engine, args.username, organisation=args.organisation, actor=_base().ACTOR)
        _base()._emit(args, {"removed": args.username, "organisation": args.organisation},
              f"{args.username} togs bort" + (f" ur {args.organisation}." if args.organisation else "."))
        return 0
    organisation = args.organisation or settings.organisation
    role = ROLES[args.role]
    if args.verksamhet is not None and not role.reports_for_verksamhet:
        raise WorkbenchError(f"--verksamhet gäller bara rollen reporter, inte {args.role}; inget konto "
                             "skapades eller ändrades.")
    if role.reports_for_verksamhet and not (args.verksamhet or "").strip():
        raise WorkbenchError(f"Rollen {args.role} behöver --verksamhet, t.ex. --verksamhet "
                             "\"Bostadsbolaget – Hässleholmen\"; inget konto skapades.")
    existing = accounts.get_user(store.engine, args.username)
    password = None
    if not args.oidc and (existing is None or not existing.local):
        password = _new_password(args, args.username)
    areas = [a.strip() for a in args.areas.split(",") if a.strip()] if args.areas else None
    accounts.add_user(store.engine, args.username, organisation=organisation, role=args.role,
                      password=password, display_name=args.name, areas=areas,
                      verksamhet=args.verksamhet, actor=_base().ACTOR)
    _base()._emit(args, {"username": accounts.normalise(args.username), "organisation": organisation,
                 "role": args.role, "areas": areas, "verksamhet": args.verksamhet,
                 "login": "oidc" if args.oidc else "lokal"},
          f"{accounts.normalise(args.username)} har rollen {args.role} i {organisation}"
          + (f" och rapporterar för {args.verksamhet}." if args.verksamhet else "."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from workbench.store.backup import backup

    info = backup(_base()._settings(args).db_url, Path(args.out))
    _base()._emit(args, {"out": str(info.path), "bytes": info.size_bytes, "rows": info.rows,
                 "revision": info.revision, "audit_entries": info.audit_entries,
                 "taken_at": info.taken_at.isoformat(timespec="seconds")},
          f"Säkerhetskopian är sparad i {info.path} ({info.size_bytes:,} byte, "
          f"{sum(info.rows.values()):,} rader, {info.audit_entries:,} loggposter).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from workbench.store.backup import restore

    info = restore(Path(args.file), _base()._settings(args).db_url, wait=args.wait)
    _base()._emit(args, {"restored": str(info.path), "rows": info.rows, "revision_before": info.revision_before,
                 "revision_after": info.revision_after,
                 "safety_copy": str(info.safety_copy) if info.safety_copy else None},
          f"Databasen är återställd från {args.file} ({sum(info.rows.values()):,} rader)."
          + (f" Den tidigare databasen finns kvar i {info.safety_copy}." if info.safety_copy else ""))
    return 0
