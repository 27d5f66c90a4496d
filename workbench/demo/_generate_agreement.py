"""The demo town's samverkansöverenskommelse and medborgarlöfte: synthetic texts in the shape
real ones have (the medborgarlöfte is drawn from the agreement's lägesbild and commitments)."""

from __future__ import annotations

from pathlib import Path

AGREEMENT_TEXT = """\
# Samverkansöverenskommelse mellan Borås stad och lokalpolisområde Borås 2025–2026 (DEMO)

*Syntetisk demotext för EST-verktyget. Den är skriven i samma form som verkliga
överenskommelser men är inte en verklig överenskommelse.*

Överenskommelsen gäller 2025-01-01 till och med 2026-12-31.

## Bakgrund

Borås stad och Polisen har gemensamt tagit fram en lägesbild. Den visar bland annat:

- att otryggheten är störst kvällstid vid Resecentrum och Stora torget
- att skadegörelse och klotter återkommer i Hässleholmen och Norrby
- att många boende upplever gångtunneln i Norrby som otrygg

## Prioriterade områden

1. Trygga offentliga miljöer
2. Barn och unga i riskzon

## Trygga offentliga miljöer

**Polisen förbinder sig att:**

- identifiera så kallade hot-spots och aktivt arbeta med insatser kring dessa
- öka den synliga närvaron kvällstid vid Resecentrum och Stora torget

**Kommunen förbinder sig att:**

- sanera klotter på kommunens fastigheter inom 24 timmar
- åtgärda trasig belysning i gångtunnlar inom en vecka
- genomföra minst tre trygghetsvandringar per år
- inkludera trygghetsaspekten i byggprocessen och samhällsplaneringen

**Bostadsbolaget förbinder sig att:**

- röja vegetation som skymmer sikten vid gångvägar i sina områden

## Barn och unga i riskzon

Kommunen och polisen ska gemensamt följa upp ungdomar som återkommande syns i
ordningsstörningar kvällstid (Polis och kommun).

**Kommunen förbinder sig att:**

- hålla fritidsgården i Hässleholmen öppen fredags- och lördagskvällar

## Åtgärdsplan

| Orsak | Åtgärd | Ansvarig | Uppföljning |
|---|---|---|---|
| Mörka passager vid Resecentrum | Ny belysning längs gångvägen | Kommunen | Felanmälningar om belysning |
| | Synlig polisnärvaro fredag–lördag kväll | Polisen | Antal anmälda brott kvällstid |
| Återkommande klotter i Hässleholmen | Klottersanering inom 24 timmar | Kommunen | Andel sanerat inom 24 timmar |

## Underskrifter

För Borås stad
Kommunstyrelsens ordförande

För Polisen
Lokalpolisområdeschef, lokalpolisområde Borås
"""


CITIZEN_PROMISE_TEXT = """\
# Medborgarlöfte 2026 – Norrby (DEMO)

*Syntetisk demotext för EST-verktyget. Den är skriven i samma form som verkliga
medborgarlöften men är inte ett verkligt medborgarlöfte.*

Medborgarlöftet bygger på lägesbilden i samverkansöverenskommelsen mellan Borås stad och
lokalpolisområde Borås: många boende upplever gångtunneln i Norrby som otrygg, och
skadegörelse och klotter återkommer i området.

Medborgarlöftet gäller från och med 1 januari 2026 och tills vidare.

Polisen lovar att:

- finnas synligt i Norrby centrum och vid gångtunneln fredags- och lördagskvällar

Kommunen lovar att:

- se till att gångtunneln i Norrby är upplyst och att buskage som skymmer sikten röjs
- sanera klotter i Norrby inom 24 timmar

Polisen och kommunen lovar att:

- genomföra en trygghetsvandring i Norrby varje höst tillsammans med boende
- berätta för de boende i Norrby vad som har gjorts, på ett öppet möte varje vår

## Underskrifter

För Borås stad
Kommunstyrelsens ordförande

För Polisen
Lokalpolisområdeschef, lokalpolisområde Borås
"""


def write_citizen_promise(path: Path) -> int:
    """Write the demo medborgarlöfte; returns its number of lines."""
    path.write_text(CITIZEN_PROMISE_TEXT, encoding="utf-8", newline="\n")
    return CITIZEN_PROMISE_TEXT.count("\n")


def write_agreement(path: Path) -> int:
    """Write the demo agreement; returns its number of lines."""
    path.write_text(AGREEMENT_TEXT, encoding="utf-8", newline="\n")
    return AGREEMENT_TEXT.count("\n")
