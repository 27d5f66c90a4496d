"""Swedish UI texts used on more than one page."""

APP_TITLE = "EST-verktyget"
APP_SUBTITLE = "Effektiv samordning för trygghet – kommun, polis och bostadsbolag"
EMPTY_DATABASE = (
    "Databasen är tom. Ladda demodata med `workbench demo` eller importera egna filer "
    "med `workbench import`."
)
SHARED_SCREEN = "Delad skärm (dölj små tal)"
SHARED_SCREEN_HELP = "Antal under minsta visningsgräns visas som '<N' och kartan visar bara områden."
ORGANISATION = "Organisation"
AREA = "Område"
ALL_AREAS = "Alla områden"
PERIOD = "Period"
PERIOD_PRESETS = {
    "4w": "Senaste 4 veckorna",
    "month": "Senaste hela månaden",
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
