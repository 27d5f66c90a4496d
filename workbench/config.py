"""One frozen, validated Settings object; every setting is declared once with its default and help."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from workbench.errors import ConfigError

APP_NAME = "est-workbench"


def default_db_url() -> str:
    """The embedded default database: a SQLite file in the user's data directory."""
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data_dir / 'workbench.sqlite'}"


@dataclass(frozen=True)
class SettingSpec:
    """Declaration of one setting: attribute name, environment variable, default and help text."""

    name: str
    env: str
    default: Callable[[], Any]
    help: str
    parse: Callable[[str], Any]
    secret: bool = False  # a password: never in a listing, a repr or an error message
    shown: Callable[[Any], Any] | None = None  # how the value appears in a listing (None: as it is)


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError as exc:
            raise ValueError(f"måste vara ett heltal, fick '{raw}'") from exc
        if not low <= value <= high:
            raise ValueError(f"måste ligga mellan {low} och {high}, fick {value}")
        return value

    return parse


def _levels(raw: str | tuple[str, ...]) -> tuple[str, ...]:
    items = raw if isinstance(raw, tuple) else tuple(p.strip() for p in str(raw).split(","))
    items = tuple(i for i in items if i)
    if not 2 <= len(items) <= 7:
        raise ValueError(f"behöver 2–7 kommaseparerade nivåer, fick {len(items)}")
    if len(set(items)) != len(items):
        raise ValueError("nivåerna måste vara olika")
    return items


def without_password(url: Any) -> str:
    """A database URL with any password hidden, for a listing or a message. Config does not lean
    on SQLAlchemy's parser: a URL that fails to parse must not show its password either.

    >>> without_password("postgresql+psycopg://est:hemligt@db.kommun.se/est")
    'postgresql+psycopg://est:***@db.kommun.se/est'
    >>> without_password("postgres:/est:hemligt@db/est"), without_password("sqlite:///a/b.sqlite")
    ('postgres:***@db/est', 'sqlite:///a/b.sqlite')
    """
    head, at, host = str(url).rpartition("@")
    scheme, slashes, credentials = head.rpartition("://")
    if not at or ":" not in credentials:
        return str(url)
    return f"{scheme}{slashes}{credentials.split(':', 1)[0]}:***@{host}"


def _db_url(raw: str) -> str:
    value = str(raw).strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+]*://", value):
        raise ValueError(
            f"'{without_password(value)}' är ingen databas-URL (exempel: sqlite:///sökväg/fil.sqlite, "
            "postgresql+psycopg://användare@värd/databas)"
        )
    return value


def _basemap(raw: str) -> str:
    value = str(raw).strip()
    if value.lower() in {"osm", "none"}:
        return value.lower()
    if value.startswith(("http://", "https://")) and all(k in value for k in ("{z}", "{x}", "{y}")):
        return value
    raise ValueError(
        f"'{value}' ska vara 'osm', 'none' eller en XYZ/WMTS-adress med {{z}}, {{x}} och {{y}}"
    )


def _categories(raw: str | frozenset[str]) -> frozenset[str]:
    if isinstance(raw, frozenset):
        return raw
    return frozenset(p.strip() for p in str(raw).split(",") if p.strip())


AUTH_MODES = ("local", "oidc", "single-user")


def _auth(raw: str) -> str:
    value = str(raw).strip().lower()
    if value not in AUTH_MODES:
        raise ValueError(f"ska vara {', '.join(AUTH_MODES)}, fick '{raw}'")
    return value


def _text(raw: str) -> str:
    value = str(raw).strip()
    if not value:
        raise ValueError("får inte vara tom")
    return value


SWITCH_ON, SWITCH_OFF = ("1", "ja", "true", "on", "yes"), ("0", "nej", "false", "off", "no")


def _switch(raw: str | bool) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in SWITCH_ON:
        return True
    if value in SWITCH_OFF:
        return False
    raise ValueError(f"ska vara 1 eller 0 (på eller av), fick '{raw}'")


def _folder(raw: str) -> Path:
    return Path(_text(raw)).expanduser()


def _secret(raw: str) -> str:
    if not str(raw):
        raise ValueError("får inte vara tom")
    return str(raw)


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "db_url", "WORKBENCH_DB", default_db_url,
        "Databasens SQLAlchemy-URL. Standard: en SQLite-fil i användarens datakatalog. "
        "PostgreSQL: postgresql+psycopg://användare:lösen@värd/databas.",
        _db_url, shown=without_password,
    ),
    SettingSpec(
        "min_count", "WORKBENCH_MIN_COUNT", lambda: 3,
        "Minsta antal som visas på delade skärmar och i exporter; lägre antal visas som '<N'.",
        _int_in(1, 100),
    ),
    SettingSpec(
        "grid_size_m", "WORKBENCH_GRID_SIZE", lambda: 250,
        "Standardstorlek på rutnätets celler i meter (SWEREF 99 TM) för hot-spot-analys.",
        _int_in(25, 5000),
    ),
    SettingSpec(
        "max_grid_cells", "WORKBENCH_MAX_GRID_CELLS", lambda: 1_000_000,
        "Högsta antal rutor i hot-spot-analysens rutnät. Ett större rutnät (t.ex. när ett område "
        "ligger långt utanför kommunen) vägras med ett tydligt meddelande i stället för att "
        "minnet tar slut; en miljon rutor kräver ungefär 2 GB minne.",
        _int_in(10_000, 20_000_000),
    ),
    SettingSpec(
        "earliest_year", "WORKBENCH_EARLIEST_YEAR", lambda: 2000,
        "Tidigaste rimliga år för datum i importerade filer. En rad med ett tidigare datum (t.ex. "
        "1900 för ett skrivfel) eller ett datum mer än ett dygn fram i tiden importeras inte och "
        "står i problemlistan.",
        _int_in(1900, 2100),
    ),
    SettingSpec(
        "status_levels", "WORKBENCH_STATUS_LEVELS", lambda: ("grön", "gul", "orange", "röd"),
        "Skala för områdenas lägesstatus, kommaseparerad från bäst till sämst.",
        _levels,
    ),
    SettingSpec(
        "assessment_levels", "WORKBENCH_ASSESSMENT_LEVELS",
        lambda: ("låg", "måttlig", "allvarlig", "mycket allvarlig"),
        "Skala för inrapporterarnas bedömning av en observation, kommaseparerad från lägst till "
        "allvarligast (lagras som 1, 2, …).",
        _levels,
    ),
    SettingSpec(
        "organisation", "WORKBENCH_ORGANISATION", lambda: "Borås stad",
        "Organisationen (kommunen) som visas först och som importer hamnar i om inget anges.",
        _text,
    ),
    SettingSpec(
        "sensitive_categories", "WORKBENCH_SENSITIVE_CATEGORIES",
        lambda: frozenset({"vald_i_nara_relation"}),
        "Kategorier som pekar ut hem (kommaseparerade nycklar): lagras bara på områdesnivå och "
        "visas aldrig som punkter.",
        _categories,
    ),
    SettingSpec(
        "basemap", "WORKBENCH_BASEMAP", lambda: "osm",
        "Bakgrundskarta: 'osm' (OpenStreetMap), 'none' (ingen) eller en egen XYZ/WMTS-adress, "
        "t.ex. kommunens eller Lantmäteriets. Utan nåbara kartplattor ritas data på vit bakgrund.",
        _basemap,
    ),
    SettingSpec(
        "basemap_attribution", "WORKBENCH_BASEMAP_ATTRIBUTION",
        lambda: "© OpenStreetMap-bidragsgivare",
        "Upphovsangivelse som visas på kartan för bakgrundskartan.",
        _text,
    ),
    SettingSpec(
        "auth", "WORKBENCH_AUTH", lambda: "local",
        "Inloggning: 'local' (lokala konton med hashade lösenord, `workbench user add`), 'oidc' "
        "(OpenID Connect via st.login, t.ex. Microsoft Entra ID, konfigurerat i "
        ".streamlit/secrets.toml) eller 'single-user' (demoläge på en bärbar dator: ingen "
        "inloggning, tydligt märkt, aldrig för riktiga data).",
        _auth,
    ),
    SettingSpec(
        "max_upload_mb", "WORKBENCH_MAX_UPLOAD_MB", lambda: 200,
        "Största fil i MB som kan laddas upp eller importeras (gäller appen och kommandoraden).",
        _int_in(1, 2000),
    ),
    SettingSpec(
        "warmup", "WORKBENCH_WARMUP", lambda: True,
        "1: appen värmer upp sina cacher i bakgrunden vid start och efter ändrade data; 0: av "
        "(sidorna räknar då själva vid första besöket).",
        _switch,
    ),
    SettingSpec(
        "debug", "WORKBENCH_DEBUG", lambda: False,
        "1: kommandoraden visar hela felet (med sökvägar och SQL) och bibliotekens varningar i "
        "stället för en mening. Bara för felsökning på servern.",
        _switch,
    ),
    SettingSpec(
        "demo_dir", "WORKBENCH_DEMO_DIR", lambda: None,
        "Mappen där `workbench demo` hittar layers/ och sample_incidents/; standard är repots rot.",
        _folder,
    ),
    SettingSpec(
        "cli_user", "WORKBENCH_USER", lambda: None,
        "Det lokala konto som kommandoraden loggar in som (som --user); utan det körs kommandot "
        "som operatör på servern.",
        _text,
    ),
    SettingSpec(
        "cli_password", "WORKBENCH_PASSWORD", lambda: None,
        "Lösenordet för WORKBENCH_USER (annars frågar kommandot). Visas aldrig.",
        _secret, secret=True,
    ),
    SettingSpec(
        "new_password", "WORKBENCH_NEW_PASSWORD", lambda: None,
        "Lösenordet för ett nytt lokalt konto i `workbench user add` (annars frågar kommandot, eller "
        "--password-stdin). Visas aldrig.",
        _secret, secret=True,
    ),
)
SPECS = {spec.name: spec for spec in SETTINGS}


def _parsed(spec: SettingSpec, raw: Any, origin: str) -> Any:
    try:
        return spec.parse(raw)
    except ValueError as exc:
        reason = "är ogiltig" if spec.secret else str(exc)  # a password never reaches a message
        raise ConfigError(f"Inställningen {spec.name} ({origin}) {reason}.") from None


def from_env(name: str, env: Mapping[str, str] | None = None) -> Any | None:
    """One setting as the environment gives it, parsed and checked; None when it is not set
    (for a command that reads one setting without loading them all).

    >>> from_env("warmup", {"WORKBENCH_WARMUP": "0"}), from_env("warmup", {})
    (False, None)
    """
    spec = SPECS[name]
    source = os.environ if env is None else env
    raw = source.get(spec.env)
    if raw is None or not str(raw).strip():
        return None
    return _parsed(spec, raw, spec.env)


def setting(name: str, env: Mapping[str, str] | None = None) -> Any:
    """One setting: the environment's value, else its default.

    >>> setting("debug", {}), setting("debug", {"WORKBENCH_DEBUG": "1"})
    (False, True)
    """
    value = from_env(name, env)
    return SPECS[name].default() if value is None else value


@dataclass(frozen=True)
class Settings:
    """All settings of one run. Build with :meth:`Settings.load`; never mutate."""

    db_url: str
    min_count: int
    grid_size_m: int
    max_grid_cells: int
    earliest_year: int
    status_levels: tuple[str, ...]
    assessment_levels: tuple[str, ...]
    organisation: str
    sensitive_categories: frozenset[str]
    basemap: str
    basemap_attribution: str
    auth: str
    max_upload_mb: int
    warmup: bool = True
    debug: bool = False
    demo_dir: Path | None = None
    cli_user: str | None = None
    cli_password: str | None = None  # kept out of __repr__ (secret in SETTINGS)
    new_password: str | None = None

    def __repr__(self) -> str:
        """Every setting as it may be shown: passwords left out, the database's password hidden."""
        shown = (f"{spec.name}={(spec.shown or (lambda v: v))(getattr(self, spec.name))!r}"
                 for spec in SETTINGS if not spec.secret)
        return f"Settings({', '.join(shown)})"

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then environment variables, then explicit overrides (``None`` = not given)."""
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for spec in SETTINGS:
            raw: Any = overrides.get(spec.name)
            origin = "argumentet"
            if raw is None and spec.env in source and str(source[spec.env]).strip():
                raw, origin = source[spec.env], spec.env
            if raw is None:
                values[spec.name] = spec.default()
                continue
            values[spec.name] = _parsed(spec, raw, origin)
        unknown = set(overrides) - {s.name for s in SETTINGS}
        if unknown:
            raise ConfigError(f"Okända inställningar: {', '.join(sorted(unknown))}.")
        return cls(**values)
