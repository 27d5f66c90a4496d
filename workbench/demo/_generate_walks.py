"""Synthetic trygghetsvandringar (safety walks) and their observations along the walked route."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from shapely.geometry import LineString, Point

from workbench.demo._generate_common import (
    to_wgs84,
    weighted_choice,
    write_csv,
    write_feature_collection,
)
from workbench.demo._generate_geo import DISTRICT_SPECS, Geography, district_index

WALK_HEADER: Final = ("Vandring", "Datum", "Område", "Deltagare", "Anteckning")
OBSERVATION_CATEGORIES: Final = (
    "belysning", "skymd sikt/vegetation", "nedskräpning", "klotter", "otrygg passage", "trafik",
    "annat",
)
CATEGORY_WEIGHTS: Final = (.28, .14, .12, .14, .18, .08, .06)


@dataclass(frozen=True)
class Walk:
    """One walk: id, date, district, participants (roles only), note, route, photo numbering."""

    walk_id: str
    date: str
    district: str
    participants: str
    note: str
    route: tuple[str | tuple[float, float], ...]  # place names or (easting, northing)
    first_photo: int
    status_weights: tuple[float, float, float]  # ny, pågår, åtgärdad


WALKS: Final = (
    Walk("TV-2025-04-HASS", "2025-04-08", "Hässleholmen",
         "Kommunen (trygghetssamordnare), Polisen (kommunpolis), Bostadsbolaget, Boende (6)",
         "Kvällsvandring efter mörkrets inbrott. Fokus på skolgården och gångvägarna mot torget.",
         ("Hässleholmens centrum", (379180, 6401330), "Hässleholmens skolgård",
          (379450, 6401300), (379300, 6401050), "Hässleholmens centrum"),
         412, (.1, .2, .7)),
    Walk("TV-2025-10-NORRBY", "2025-10-14", "Norrby",
         "Kommunen (trygghetssamordnare), Kommunen (gatukontoret), Polisen (kommunpolis), "
         "Bostadsbolaget, Fritidsgården, Boende (9)",
         "Fokus på gångtunneln och skolvägen. Regn och tidig skymning.",
         ((376751, 6401035), "Norrby skolgård", (376700, 6400880), "Gångtunneln vid Norrby",
          (377000, 6400950), (376751, 6401035)),
         1038, (.25, .35, .4)),
    Walk("TV-2026-03-CENTRUM", "2026-03-17", "Centrum",
         "Kommunen (trygghetssamordnare), Polisen (kommunpolis), Fastighetsägare i centrum, "
         "Citysamverkan, Boende (4)",
         "Resecentrum, Stora torget och Stadsparken efter mörkrets inbrott.",
         ("Resecentrum", (377050, 6399500), "Stora torget", (377200, 6399700), "Stadsparken",
          "Resecentrum"),
         2215, (.6, .3, .1)),
)

COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    "belysning": (
        "Mörk gångväg mellan skolan och busshållplatsen, två armaturer trasiga",
        "Belysningen längs cykelvägen är svag och ojämn",
        "Trasig lampa vid entrén, mörkt i hörnet",
        "Ingen belysning på gångstigen genom grönområdet",
        "Armatur skymd av trädkrona, marken ligger i mörker",
    ),
    "skymd sikt/vegetation": (
        "Höga buskar skymmer sikten vid gångvägens kurva",
        "Häcken vid övergångsstället behöver klippas",
        "Tät vegetation intill stigen, svårt att se vem som kommer",
        "Sly runt cykelstället gör platsen instängd",
    ),
    "nedskräpning": (
        "Mycket skräp och glaskross vid bänkarna",
        "Överfulla papperskorgar, skräp sprids ut",
        "Dumpade kartonger och möbler bakom förrådet",
    ),
    "klotter": (
        "Nytt klotter på fasaden mot gångvägen",
        "Klotter i gångtunneln sedan länge, ger ett otryggt intryck",
        "Taggar på elskåp och skyltar",
    ),
    "otrygg passage": (
        "Smal passage utan insyn, upplevs otrygg kvällstid",
        "Gångtunneln är lång och mörk, ingen alternativ väg",
        "Ungdomar samlas här på kvällarna, flera deltagare undviker platsen",
        "Baksidan av butikerna saknar insyn efter stängning",
    ),
    "trafik": (
        "Bilar kör fort förbi skolans entré",
        "Otydligt övergångsställe, saknar belysning",
        "Cyklister och gående möts i skymd kurva",
    ),
    "annat": (
        "Saknas skyltning mot busshållplatsen",
        "Trasig bänk och sönderslagen lekställning",
        "Önskemål om fler sittplatser och bättre överblick",
    ),
}
STATUSES: Final = ("ny", "pågår", "åtgärdad")


def _route(geo: Geography, walk: Walk) -> LineString:
    points = []
    for stop in walk.route:
        if isinstance(stop, str):
            c = geo.places[stop].geometry.centroid
            points.append((c.x, c.y))
        else:
            points.append((float(stop[0]), float(stop[1])))
    return LineString(points)


def _observations(rng: np.random.Generator, geo: Geography, walk: Walk) -> list[dict[str, Any]]:
    """12–20 observations along the route, in walking order, inside the walk's district."""
    n = int(rng.integers(12, 21))
    route = _route(geo, walk)
    region = geo.districts[district_index(walk.district)].buffer(-15)
    xs: list[float] = []
    ys: list[float] = []
    dist: list[float] = []
    while len(xs) < n:
        d = float(rng.uniform(0, route.length))
        p = route.interpolate(d)
        x = p.x + float(rng.normal(0, 10))
        y = p.y + float(rng.normal(0, 10))
        if region.contains(Point(x, y)):
            xs.append(x)
            ys.append(y)
            dist.append(d)
    order = np.argsort(np.asarray(dist), kind="stable")
    lon, lat = to_wgs84(np.asarray(xs)[order], np.asarray(ys)[order])
    categories = weighted_choice(rng, CATEGORY_WEIGHTS, n)
    next_text: dict[str, int] = {}  # per category: index of the next comment, from a random start
    photo = walk.first_photo
    features = []
    for i in range(n):
        cat = OBSERVATION_CATEGORIES[categories[i]]
        texts = COMMENTS[cat]
        k = next_text.setdefault(cat, int(rng.integers(0, len(texts))))
        next_text[cat] = k + 1
        comment = texts[k % len(texts)]
        photo += int(rng.integers(1, 4))
        has_photo = rng.random() < 0.7
        features.append({
            "type": "Feature",
            "properties": {
                "vandring": walk.walk_id,
                "id": f"{walk.walk_id}-{i + 1:02d}",
                "kategori": cat,
                "kommentar": comment,
                "prioritet": int(rng.integers(1, 4)),
                "foto": f"IMG_{photo:04d}.jpg" if has_photo else None,
                "status": STATUSES[int(weighted_choice(rng, walk.status_weights, 1)[0])],
            },
            "geometry": {"type": "Point",
                         "coordinates": [round(float(lon[i]), 6), round(float(lat[i]), 6)]},
        })
    return features


def write_walks(
    rng: np.random.Generator, geo: Geography, csv_path: Path, geojson_path: Path
) -> dict[str, int]:
    """Write trygghetsvandringar.csv and trygghetsvandring_observationer.geojson."""
    for walk in WALKS:
        if walk.district not in {d.name for d in DISTRICT_SPECS}:
            raise ValueError(walk.district)
    rows = [(w.walk_id, w.date, w.district, w.participants, w.note) for w in WALKS]
    features = [f for walk in WALKS for f in _observations(rng, geo, walk)]
    return {
        csv_path.name: write_csv(csv_path, WALK_HEADER, rows, delimiter=";", newline="\n",
                                 encoding="utf-8"),
        geojson_path.name: write_feature_collection(
            geojson_path, "trygghetsvandring_observationer", features, crs=None),
    }
