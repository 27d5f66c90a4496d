"""Swedish UI texts used on more than one page."""

from workbench.geo.crs import CRS_LABELS_SV, RT90_25GON_V, SWEREF99_LOCAL, SWEREF99TM, WGS84
from workbench.io.uploads import ALLOWED_SUFFIXES
from workbench.schema import IMPORT_KIND_LABELS_SV, IMPORT_KINDS

APP_TITLE = "EST-verktyget"
DATABASE_ERROR = ("Databasen kunde inte utföra det här ({kind}). Inget halvfärdigt har sparats; försök igen, "
                  "och kontakta den som driver verktyget om felet kvarstår.")
EMPTY_DATABASE = (
    "Databasen är tom. Ladda demodata med `workbench demo` eller importera egna filer "
    "med `workbench import`."
)
SHARED_SCREEN = "Delad skärm (dölj små tal)"
SHARED_SCREEN_HELP = ("Antal under {n} visas som '<{n}' och kartan visar bara områden. "
                      "På från början bara på mötessidan; vid det egna skrivbordet visas siffrorna "
                      "som rollen får se.")
ORGANISATION = "Organisation"
NO_ORGANISATION = "Ditt konto har ingen roll i någon organisation i den här databasen. Kontakta samordnaren."
ALWAYS_SUPPRESSED = "Rollen {role} ser sammanställda siffror; antal under {n} visas som '<{n}'."
NO_ACCOUNTS = (
    "Det finns inga konton ännu. Skapa det första på servern med "
    "`workbench user add NAMN --organisation ORG --role coordinator`, eller starta en demo utan "
    "inloggning med `WORKBENCH_AUTH=single-user`."
)
OIDC_INTRO = "Logga in med organisationens konto (OpenID Connect, t.ex. Microsoft Entra ID)."
SINGLE_USER_BANNER = (
    "**Demoläge** – ingen inloggning, en användare. Bara för demo på en egen dator, "
    "aldrig för riktiga data."
)
DEMO_ROLE = "Visa som roll (demo)"
DEMO_OWN_AREAS = "Rollen ser bara bolagets egna områden: {areas}."
NO_OWN_AREAS = (
    "Rollen {role} ser bara sina egna områden, och inga områden är knutna till den här rollen i "
    "{organisation}. Be samordnaren att ange bolagets områden (`workbench user add … --areas`); "
    "tills dess finns inga siffror att visa."
)

MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$&")


def plain(text: str) -> str:
    """User text made inert for st.markdown: no links, images, HTML or colour directives."""
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in str(text))

def shortened(text: object, keep: int) -> str:
    r"""The text on one line, its first ``keep`` characters then "…" when there is more: the cut
    falls where the UI's labels always cut (60, 70, 80 …), so what is shown reads as written.

    >>> shortened("Sanera  klotter\ninom 24 timmar", 15), shortened("Kort text", 15)
    ('Sanera klotter …', 'Kort text')
    """
    text = " ".join(str(text).split())
    return text if len(text) <= keep else text[:keep] + "…"

AREA = "Område"
ALL_AREAS = "Alla områden"
PERIOD = "Period"
PERIOD_PRESETS = {
    "4w": "Senaste 4 veckorna",
    "month": "Senaste hela månaden",
    "3m": "Senaste 3 månaderna",
    "tertial": "Senaste tertialen",
    "ytd": "Hittills i år",
    "custom": "Anpassad",
}
REFERENCE = "Jämförs med"
REFERENCE_OPTIONS = {"previous": "Föregående period", "last_year": "Samma period i fjol"}
CHANGE_HELP = (
    "Förändringen prövas med ett exakt Poisson-test (betingat binomialtest, 5 % nivå): "
    "'ingen säker förändring' betyder att skillnaden kan vara slump."
)

IMPORT_WHAT = IMPORT_KIND_LABELS_SV
# what each uploader offers: the suffixes the upload checks accept (workbench.io.uploads)
IMPORT_TYPES = {kind: [suffix.lstrip(".") for suffix in ALLOWED_SUFFIXES[kind]] for kind in IMPORT_KINDS}
LAYER_KINDS = {
    "district": "Stadsdelar/områden (lägesbildens indelning)",
    "neighbourhood_watch": "Grannsamverkansområden",
    "vulnerable_area": "Polisens utsatta områden",
    "planned": "Planerade områden (detaljplaner)",
    "other": "Annat områdeslager",
}
FIELD_LABELS = {
    "source_id": "Händelse-/ärendenummer",
    "category": "Kategori/brottstyp",
    "from_date": "Från datum",
    "from_time": "Från tid",
    "from_datetime": "Datum och tid (en kolumn)",
    "to_date": "Till datum",
    "to_time": "Till tid",
    "to_datetime": "Till (datum och tid)",
    "fixed_at": "Åtgärdad (datum)",
    "status": "Status",
    "coord_a": "Koordinat 1 (X/N/Lat eller Y/E/Lon)",
    "coord_b": "Koordinat 2",
    "area_code": "Områdeskod",
    "municipality": "Kommun (namn eller kommunkod)",
    "description": "Fritext (skannas efter personuppgifter)",
}
CRS_OPTIONS = {
    "": "Upptäck automatiskt",
    **{code: CRS_LABELS_SV[code] for code in (SWEREF99TM, WGS84, RT90_25GON_V, *SWEREF99_LOCAL)},
}
NO_COLUMN = "– ingen –"
PREVIEW_COLUMNS = {
    "source_id": "Id", "category": "Kategori", "category_original": "Ursprunglig kategori",
    "occurred_from": "Från", "occurred_to": "Till", "reported_at": "Anmäld", "fixed_at": "Åtgärdad",
    "observed_at": "Observerad", "status": "Status", "precision": "Precision",
    "area_code": "Områdeskod", "x": "E (SWEREF 99 TM)", "y": "N (SWEREF 99 TM)",
    "description": "Fritext (maskerad)", "comment": "Kommentar (maskerad)", "priority": "Prioritet",
    "walk_ref": "Vandring", "date_only": "Bara datum", "photo_ref": "Foto",
}
ON_CHANGE = {
    "keep": "Behåll de lagrade (redovisas som ändrade)",
    "update": "Uppdatera dem (loggas med före och efter)",
}
WALK_FIELD_LABELS = {
    "walk_ref": "Vandring (id)",
    "source_id": "Iakttagelsens id",
    "category": "Kategori",
    "from_datetime": "Datum/tid",
    "priority": "Prioritet",
    "status": "Status",
    "photo_ref": "Foto",
    "description": "Kommentar (skannas efter personuppgifter)",
}
