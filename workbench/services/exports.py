"""Exports for QGIS and Excel: hot-spot cells (counts, Gi*, classes, emerging patterns), the
near-repeat table, places, areas and åtgärder with their place – as one GeoPackage (EPSG:3006, one
layer each, Swedish field names and layer descriptions), GeoJSON (a zip, one file per layer,
RFC 7946 WGS 84) or XLSX (one sheet per layer, formulas neutralised).

Small counts are suppressed as on the screen the export is taken from (always for roles that
always suppress, on a shared screen, and by default from the CLI): a count under ``min_count``
(but above 0) is empty and ``dold`` is true; ``min_count`` 0 hides nothing. No Streamlit here; the gate checks the
role and audits the export.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from workbench.filters import EventFilter
from workbench.geo.crs import SWEREF99TM, WGS84
from workbench.hotspots.emerging import CLASS_LABELS_SV as EMERGING_SV
from workbench.hotspots.emerging import STEP_LABELS_SV, TooFewSteps
from workbench.hotspots.gistar import CLASS_LABELS_SV as GI_SV
from workbench.hotspots.near_repeat import NearRepeatError
from workbench.services import emerging, near_repeat
from workbench.services.hotspots import cell_frame, point_events, run
from workbench.situation import Period

FORMATS = ("gpkg", "geojson", "xlsx")
MIME = {"gpkg": "application/geopackage+sqlite3", "geojson": "application/zip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Layer:
    name: str
    frame: pd.DataFrame  # a GeoDataFrame in EPSG:3006, or a plain table
    description: str


def _hidden_note(min_count: int) -> str:
    return f" (tomt och dold = sant under {min_count})" if min_count > 0 else " (inga tal dolda)"


def _suppressed(counts: pd.Series, min_count: int) -> tuple[pd.Series, pd.Series]:
    values = pd.Series(counts, dtype="Int64")
    hidden = (values > 0) & (values < min_count)
    return values.mask(hidden), hidden.fillna(False).astype(bool)


def _in(events: pd.DataFrame, geometries) -> np.ndarray:
    """Events per geometry (index into ``geometries``)."""
    from workbench.geo.assign import assign_points

    which = assign_points(events["x"].to_numpy(float), events["y"].to_numpy(float), list(geometries))
    return np.bincount(which[which >= 0], minlength=len(geometries))


def cell_layer(events: pd.DataFrame, extent, event_filter: EventFilter, cell: float, min_count: int,
               step: str = "month", boundary=None) -> tuple[Layer, str | None]:
    """Cells with an event or a pattern: counts, Gi*, class and the emerging pattern."""
    hot = cell_frame(run(events, extent, event_filter, cell))
    note = None
    try:
        result = emerging.run(events, extent, event_filter, cell, step, boundary)
        over_time = result.frame()[["emerging_class", "trend_z", "trend_p"]]
    except TooFewSteps as exc:
        note = f"Hot-spots över tid: {exc}"
        over_time = pd.DataFrame({"emerging_class": "none", "trend_z": np.nan, "trend_p": np.nan},
                                 index=hot.index)
    frame = pd.concat([hot, over_time], axis=1)
    keep = (frame["count"] > 0) | (frame["hotspot_class"] != "ns") | (frame["emerging_class"] != "none")
    frame = frame[keep]
    counts, hidden = _suppressed(frame["count"], min_count)
    out = gpd.GeoDataFrame({
        "ruta": frame["cell_id"], "rad": frame["row"], "kolumn": frame["col"], "antal": counts,
        "dold": hidden, "gi_z": frame["z"].round(4), "p": frame["p"].round(6),
        "p_fdr": frame["p_fdr"].round(6), "klass": frame["hotspot_class"],
        "klass_text": frame["hotspot_class"].map(GI_SV), "mönster": frame["emerging_class"],
        "mönster_text": frame["emerging_class"].map(EMERGING_SV),
        "trend_z": frame["trend_z"], "trend_p": frame["trend_p"]},
        geometry=frame.geometry, crs=SWEREF99TM)
    description = (f"Hot-spot-rutor à {cell:g} m med minst en händelse eller ett mönster: antal"
                   f"{_hidden_note(min_count)}, Getis-Ord Gi* (z, p, FDR-justerat p, "
                   "klass) och hot-spots över tid (Esris mönster, Mann-Kendall-trend för z, "
                   f"tidssteg {STEP_LABELS_SV.get(step, step)}).")
    if note:
        description += f" Saknas – {note}"
    return Layer("rutor", out.reset_index(drop=True), description), note


def near_repeat_layer(events: pd.DataFrame, categories: tuple[str, ...], period: Period,
                      min_count: int) -> tuple[Layer | None, str | None]:
    try:
        table = near_repeat.run(events, categories, start=period.start, end=period.end)
    except NearRepeatError as exc:
        return None, f"Near-repeat ({', '.join(categories)}): {exc}"
    cells = pd.DataFrame(table.cells())
    observed, hidden = _suppressed(cells["observed"], min_count)
    frame = table.frame_sv().rename(columns={"Avstånd": "avstånd", "Tid": "tid",
                                             "Observerade par": "observerade_par",
                                             "Förväntade par": "förväntade_par", "Kvot": "kvot"})
    frame = pd.concat([cells[["distance_from", "distance_to", "time_from", "time_to"]].rename(columns={
        "distance_from": "avstånd_från_m", "distance_to": "avstånd_till_m", "time_from": "tid_från_dagar",
        "time_to": "tid_till_dagar"}), frame], axis=1)
    frame["observerade_par"], frame["dold"] = observed, hidden
    description = (f"Near-repeat (Knox-test) för {', '.join(categories)} {period.label()}: par av "
                   f"händelser per avståndsband × tidsband ([från, till), tomt till = öppet), förväntat "
                   f"antal, kvot och ensidigt p ur {table.permutations} permutationer av datumen; "
                   f"{table.n_events} händelser med exakt punkt. {table.verdict_sv()}")
    return Layer("near_repeat", frame, description), None


def place_layer(places: gpd.GeoDataFrame, events: pd.DataFrame | None, min_count: int) -> Layer:
    from workbench.hotspots.ranking import place_geometries

    frame = gpd.GeoDataFrame({"plats_id": places["id"].astype(int), "namn": places["name"],
                              "typ": places["kind"], "radie_m": places["radius_m"]},
                             geometry=places.geometry, crs=SWEREF99TM)
    if events is not None:
        frame["antal"], frame["dold"] = _suppressed(pd.Series(_in(events, place_geometries(places))),
                                                    min_count)
    return Layer("platser", frame, "EST-gruppens platser (polygon, eller punkt med radie) och antal "
                 f"händelser i perioden{_hidden_note(min_count)}.")


def area_layer(areas: gpd.GeoDataFrame, events: pd.DataFrame, min_count: int) -> Layer:
    if "x" in events:
        counts = pd.Series(_in(events, areas.geometry))
    else:  # no point access: the stored area of each event
        counts = events["area_id"].value_counts().reindex(areas["id"].astype(int), fill_value=0).reset_index(drop=True)
    antal, dold = _suppressed(counts, min_count)
    frame = gpd.GeoDataFrame({"område_id": areas["id"].astype(int), "namn": areas["name"],
                              "kod": areas["code"], "befolkning": areas["population"],
                              "antal": antal.to_numpy(), "dold": dold.to_numpy()},
                             geometry=areas.geometry, crs=SWEREF99TM)
    return Layer("områden", frame, "Områden (stadsdelar) med antal händelser i perioden"
                 f"{_hidden_note(min_count)}.")


def _dates(values: pd.Series) -> list[str | None]:
    """ISO dates as text (GeoPackage, GeoJSON and Excel read them alike), empty when missing."""
    return [None if v is None or pd.isna(v) else str(pd.Timestamp(v).date()) for v in values]


def action_layer(actions: pd.DataFrame, places: gpd.GeoDataFrame) -> Layer:
    geometry = dict(zip(places["id"].astype(int), places.geometry, strict=True))
    place_ids = actions["place_id"]
    frame = gpd.GeoDataFrame({
        "åtgärd_id": actions["id"].astype(int), "åtgärd": actions["text"],
        "ansvarig": actions["responsible_party"], "roll": actions["responsible_role"],
        "status": actions["status"], "start": _dates(actions["start_date"]),
        "slut": _dates(actions["due_date"]), "plats": actions["place"],
        "plats_id": pd.Series(place_ids, dtype="Int64")},
        geometry=[geometry.get(int(p)) if pd.notna(p) else None for p in place_ids], crs=SWEREF99TM)
    return Layer("åtgärder", frame, "Åtgärder med ansvarig part och roll, status, datum och "
                 "platsens geometri (tom för åtgärder utan plats).")


def build(*, events: pd.DataFrame, extent, areas: gpd.GeoDataFrame, places: gpd.GeoDataFrame,
          actions: pd.DataFrame, period: Period, cell: float, min_count: int, points: bool,
          near_categories: tuple[str, ...] = ("bostadsinbrott",),
          sources: tuple[str, ...] = ("police",), boundary=None) -> tuple[list[Layer], list[str]]:
    """Every layer the role may have. Without point access: areas and åtgärder only."""
    event_filter = EventFilter(period.start, period.end, (), sources)
    in_period = event_filter.apply(events)
    layers, notes = [], []
    if points:
        cells, note = cell_layer(events, extent, event_filter, cell, min_count, boundary=boundary)
        layers.append(cells)
        notes += [note] if note else []
        table, note = near_repeat_layer(events, near_categories, period, min_count)
        layers += [table] if table is not None else []
        notes += [note] if note else []
        layers.append(place_layer(places, point_events(in_period), min_count))
    else:
        layers.append(place_layer(places, None, min_count))
    layers.append(area_layer(areas, in_period, min_count))
    layers.append(action_layer(actions, places))
    return layers, notes


def write(layers: list[Layer], fmt: str) -> bytes:
    """The layers as one file's bytes."""
    from workbench.reports.cells import neutralise_frame

    if fmt not in FORMATS:
        raise ValueError(f"okänt format '{fmt}' (gpkg, geojson eller xlsx)")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for layer in layers:
                frame = pd.DataFrame(layer.frame).copy()
                if isinstance(layer.frame, gpd.GeoDataFrame):
                    centre = layer.frame.geometry.representative_point()
                    frame = frame.drop(columns="geometry")
                    frame["x_sweref99tm"] = centre.x.round(1).where(~layer.frame.geometry.isna())
                    frame["y_sweref99tm"] = centre.y.round(1).where(~layer.frame.geometry.isna())
                neutralise_frame(frame).to_excel(writer, sheet_name=layer.name[:31], index=False)
            pd.DataFrame({"lager": [la.name for la in layers],
                          "beskrivning": [la.description for la in layers]}).to_excel(
                writer, sheet_name="om_lagren", index=False)
        return buffer.getvalue()
    if fmt == "geojson":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for layer in layers:
                frame = layer.frame if isinstance(layer.frame, gpd.GeoDataFrame) else \
                    gpd.GeoDataFrame(layer.frame, geometry=[None] * len(layer.frame), crs=SWEREF99TM)
                archive.writestr(f"{layer.name}.geojson", frame.to_crs(WGS84).to_json(drop_id=True))
            archive.writestr("LÄSMIG.txt", "\n\n".join(f"{la.name}: {la.description}" for la in layers))
        return buffer.getvalue()
    import pyogrio

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        for i, layer in enumerate(layers):
            pyogrio.write_dataframe(layer.frame, path, layer=layer.name, driver="GPKG", append=i > 0,
                                    layer_options={"DESCRIPTION": layer.description})
        return path.read_bytes()
