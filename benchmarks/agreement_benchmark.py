"""Benchmark the agreement parser on a generated long agreement (default 20 pages).

    PYTHONPATH=. .venv/bin/python benchmarks/agreement_benchmark.py [--pages 20 40] [--repeat 5]

Each page is a PDF-transcript-like page: a repeated page header, a page number, prose, a focus
area heading, leads before the list ("Polisen lovar att:", "Kommunen och polisen lovar att:"),
items with the party after them ("(Kommun)"), a hyphenated line break and items that name their
own party. Prints one JSON line per size: characters, lines, commitments found, best and median
seconds of ``parse_agreement``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from workbench.agreements.parse import parse_agreement

HEADER = "Samverkansöverenskommelse Exempelby kommun och lokalpolisområde Exempelby 2024–2027"


def long_agreement(pages: int) -> str:
    """A realistic agreement of ``pages`` pages with 8 commitments per page."""
    parts = [HEADER, "", "Överenskommelsen gäller från och med 2024-01-01 till och med 2027-12-31.",
             ""]
    for page in range(1, pages + 1):
        parts += [
            HEADER, "",
            f"Fokusområde {page} – Trygghet i stadsdel {page}", "",
            ("Lägesbilden visar att boende i stadsdelen upplever otrygghet kvällstid, särskilt "
             "kring torget och busshållplatserna. Trygghetsmätningen visar en ökning av oro för "
             "brott sedan förra mätningen och medborgardialogerna bekräftar bilden. ") * 3, "",
            "Polisen lovar att:", "",
            f" • Genomföra minst {page + 4} riktade insatser mot narkotikabrott i området.",
            " • Synas vid torget fredags- och lördagskvällar under hela perioden.",
            " • Delta i varje trygghetsvandring som kommunen ordnar.", "",
            "Kommunen och polisen lovar att:", "",
            " • Kommunen ska laga trasig belysning inom fem arbetsdagar efter anmälan.",
            " • Polisen kommer att rapportera lägesbilden till styrgruppen varje kvar-",
            "   tal.",
            " • Ta fram en gemensam plan för sommarlovet. (Kommun och Polis)", "",
            "Insatser för att öka tryggheten", "",
            " • Sprida information om grannsamverkan till alla hushåll. (Kommun)",
            " • Minst tio hastighetskontroller efter medborgarnas önskemål. (Polis)", "",
            f"Sida {page} av {pages}", "",
        ]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[20])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for pages in args.pages:
        text = long_agreement(pages)
        times, found = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = len(parse_agreement(text).commitments)
            times.append(time.perf_counter() - started)
        print(json.dumps({"pages": pages, "chars": len(text), "lines": text.count("\n") + 1,
                          "commitments": found, "best_s": round(min(times), 3),
                          "median_s": round(statistics.median(times), 3)}))


if __name__ == "__main__":
    main()
