"""The Hot-spots page's time views: hot-spots över tid (map + table), near-repeat (Knox table)
and the export to QGIS/Excel. Called from app_pages/hotspots.py with a few lines."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import streamlit as st

from workbench import numbers as nf
from workbench import roles
from workbench.filters import EventFilter
from workbench.hotspots.emerging import (
    CLASS_EXPLANATIONS_SV,
    CLASS_LABELS_SV,
    DEFAULT_STEPS,
    STEP_LABELS_SV,
    STEPS,
    default_span,
)
from workbench.hotspots.near_repeat import DEFAULT_DISTANCE_BANDS, DEFAULT_TIME_BANDS, sv_p
from workbench.maps.emerging_map import EMERGING_COLOURS, visible_cells
from workbench.services.emerging import line_sv
from workbench.services.exports import FORMATS, MIME
from workbench.taxonomy import category_label
from workbench.ui import cached, cached_analysis, folium_map
from workbench.ui.labels import label_of
from workbench.ui.state import count_label, download, plain

VIEWS = ("Hot-spots över tid", "Near-repeat", "Export till QGIS och Excel")
FORMAT_LABELS = {"gpkg": "GeoPackage (QGIS)", "geojson": "GeoJSON (zip)", "xlsx": "Excel"}
NEAR_DEFAULT = ("bostadsinbrott", "bilbrand", "skadegorelse", "inbrott")


def _count(show, value: int) -> str:
    """A count as the screen shows it ('<3' on a shared screen), with Swedish thousands."""
    text = show(value)
    return nf.integer(int(text)) if text.isdigit() else text


def _sv(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",").replace("-", "−")


def render(settings, store, filters, event_filter: EventFilter, cell: int) -> None:
    """The three views below the page's hot-spot map and tables."""
    st.divider()
    view = st.radio("Vy", VIEWS, horizontal=True, key="hs_time_view", label_visibility="collapsed")
    if view == VIEWS[0]:
        _emerging(settings, store, filters, event_filter, cell)
    elif view == VIEWS[1]:
        _near_repeat(settings, store, filters, cell)
    else:
        _export(settings, store, filters, cell)


def _emerging(settings, store, filters, event_filter: EventFilter, cell: int) -> None:
    url, scope = store.url, filters.scope
    version = cached.data_version(url, scope)
    suppress, min_count = filters.shared_screen, settings.min_count
    show = count_label(filters, settings)
    st.subheader("Hot-spots över tid")
    a, b, c = st.columns(3)
    step = a.selectbox("Tidssteg", STEPS, index=1, format_func=label_of(STEP_LABELS_SV), key="hs_step")
    n_steps = b.number_input("Antal steg", 4, 104, DEFAULT_STEPS[step], key=f"hs_steps_{step}")
    bins = c.radio("Indelning", ["Rutor", "Områden"], horizontal=True, key="hs_emerging_bins")
    first, last = default_span(step, filters.period.end, int(n_steps))
    chosen = EventFilter(first, last, event_filter.categories, event_filter.sources,
                         event_filter.weekdays, event_filter.hours)
    if bins == "Områden":
        _emerging_areas(settings, store, filters, chosen, step)
        return
    result = cached_analysis.emerging_run(url, scope, version, chosen, cell, step)
    if isinstance(result, str):
        st.warning(plain(result))
        return
    st.caption(f"{len(result.steps)} hela steg ({STEP_LABELS_SV[step]}) {first} – {last} · "
               f"{_count(show, result.n_events)} händelser med punkt · space-time Gi* (rutan och grannarna "
               "i samma och föregående steg), Mann-Kendall-trend och Esris mönster. "
               "Samma urval (kategorier, källor, tider) som kartan ovan.")
    for warning in result.warnings_sv():
        st.info(warning)
    summary = result.summary()
    line = line_sv(summary)
    st.markdown(f"**{line}**" if line else "Inga hot-spot-mönster i perioden.")
    prepared = cached_analysis.emerging_map(url, scope, version, chosen, cell, step, min_count, suppress,
                                            settings.basemap, settings.basemap_attribution,
                                            "hs_emerging_map")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        folium_map.show(prepared, height=520, returned_objects=[])
    with right:
        st.dataframe(pd.DataFrame({
            "Mönster": [CLASS_LABELS_SV[c] for c in EMERGING_COLOURS if c in summary],
            "Rutor": [summary[c] for c in EMERGING_COLOURS if c in summary]}),
            hide_index=True, width="stretch", key="hs_emerging_classes")
        _explain()
    ids = visible_cells(result, min_count=min_count, suppress=suppress)
    ids = ids[np.argsort(-np.abs(result.trend_z[ids]), kind="stable")]
    totals = result.counts.sum(axis=0)
    st.dataframe(pd.DataFrame({
        "Ruta": ids, "Mönster": [CLASS_LABELS_SV[c] for c in result.emerging_class[ids]],
        "Trend (z)": [_sv(z) for z in result.trend_z[ids]],
        "Trend p": [sv_p(p).removeprefix("p = ").removeprefix("p ") for p in result.trend_p[ids]],
        "Händelser": [_count(show, n) for n in totals[ids]],
        "Senaste steget": [_count(show, n) for n in result.counts[-1, ids]]}),
        hide_index=True, width="stretch", key="hs_emerging_cells")


def _explain() -> None:
    with st.expander("Vad betyder mönstren?"):
        st.markdown("\n".join(f"- **{CLASS_LABELS_SV[c]}**: {CLASS_EXPLANATIONS_SV[c]}."
                              for c in EMERGING_COLOURS if c.startswith("hot_")) +
                    "\n- Cold-spot-mönstren är desamma för färre händelser än väntat.")


def _emerging_areas(settings, store, filters, chosen: EventFilter, step: str) -> None:
    """The same analysis with the districts as bins."""
    url, scope = store.url, filters.scope
    version = cached.data_version(url, scope)
    suppress, min_count = filters.shared_screen, settings.min_count
    show = count_label(filters, settings)
    result = cached_analysis.emerging_areas(url, scope, version, chosen, step)
    if isinstance(result, str):
        st.warning(plain(result))
        return
    st.caption(f"{len(result.steps)} hela steg ({STEP_LABELS_SV[step]}) {chosen.start} – {chosen.end} · "
               f"{_count(show, result.n_events)} händelser med område · space-time Gi* (området och "
               "områdena som gränsar till det, i samma och föregående steg), Mann-Kendall-trend "
               "och Esris mönster.")
    for warning in result.warnings_sv():
        st.info(warning)
    prepared = cached_analysis.emerging_area_map(url, scope, version, chosen, step, min_count, suppress,
                                                 settings.basemap, settings.basemap_attribution,
                                                 "hs_emerging_area_map")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        folium_map.show(prepared, height=520, returned_objects=[])
    with right:
        frame = result.frame().sort_values("trend_z", key=abs, ascending=False)
        st.dataframe(pd.DataFrame({
            "Område": frame["area"], "Mönster": [CLASS_LABELS_SV[c] for c in frame["emerging_class"]],
            "Trend (z)": [_sv(z) for z in frame["trend_z"]],
            "Trend p": [sv_p(p).removeprefix("p = ").removeprefix("p ") for p in frame["trend_p"]],
            "Händelser": [_count(show, n) for n in frame["total"]]}),
            hide_index=True, width="stretch", key="hs_emerging_areas")
        _explain()


def _near_repeat(settings, store, filters, cell: int) -> None:
    url, scope = store.url, filters.scope
    version = cached.data_version(url, scope)
    show = count_label(filters, settings)
    st.subheader("Near-repeat")
    st.caption("Följs en händelse av fler i närheten de närmaste dagarna? Knox-test: alla par av "
               "händelser med exakt punkt fördelade på avstånd × tid, jämfört med 999 slumpvisa "
               "omfördelningar av datumen. Perioden är sidans period.")
    present = sorted(cached.event_categories(url, scope, version), key=category_label)
    default = [c for c in NEAR_DEFAULT if c in present][:1]
    a, b, c = st.columns([2, 1, 1])
    categories = a.multiselect("Kategori", present, default=default, format_func=category_label,
                               key="hs_near_categories", placeholder="Välj kategori")
    distances = b.text_input("Avståndsgränser (m)", ",".join(map(str, DEFAULT_DISTANCE_BANDS)),
                             key="hs_near_distances")
    times = c.text_input("Tidsgränser (dagar)", ",".join(map(str, DEFAULT_TIME_BANDS)), key="hs_near_times")
    if not categories:
        st.info("Välj en kategori, t.ex. bostadsinbrott.")
        return
    try:
        d_bands = tuple(float(v) for v in distances.split(",") if v.strip())
        t_bands = tuple(float(v) for v in times.split(",") if v.strip())
    except ValueError:
        st.warning("Gränserna ska vara tal med komma emellan, t.ex. 0,100,200,400.")
        return
    table = cached_analysis.near_repeat_table(url, scope, version, tuple(categories), filters.period.start,
                                              filters.period.end, d_bands, t_bands, 999)
    if isinstance(table, str):
        st.warning(plain(table))
        return
    st.info(table.verdict_sv())
    for line in table.readout_sv():
        st.markdown(f"- {line}")
    frame = table.frame_sv()
    st.dataframe(frame.assign(**{
        "Observerade par": [_count(show, v) for v in frame["Observerade par"]],
        "Förväntade par": [_sv(v, 1) for v in frame["Förväntade par"]],
        "Kvot": ["–" if pd.isna(v) else _sv(v, 2) for v in frame["Kvot"]],
        "p": [sv_p(v).removeprefix("p = ").removeprefix("p ") for v in frame["p"]]}),
        hide_index=True, width="stretch", key="hs_near_table")
    _attention(settings, store, filters, tuple(categories), d_bands, t_bands, cell)


def _attention(settings, store, filters, categories, d_bands, t_bands, cell: int) -> None:
    """Attention zones for the next days, only where the pattern is significant."""
    url, scope = store.url, filters.scope
    version = cached.data_version(url, scope)
    horizon = st.select_slider("Uppmärksamhetszoner, dagar framåt", [7, 10, 14], value=14,
                               key="hs_near_horizon")
    built = cached_analysis.attention(url, scope, version, categories, filters.period.start,
                                      filters.period.end, d_bands, t_bands, cell, int(horizon),
                                      settings.min_count, filters.shared_screen, settings.basemap,
                                      settings.basemap_attribution, "hs_attention_map")
    if built is None:
        st.caption("Inga uppmärksamhetszoner: near-repeat-mönstret är inte säkert.")
        return
    zones, hidden, prepared = built
    st.markdown(f"**Uppmärksamhetszoner till {filters.period.end + timedelta(days=int(horizon))}** "
                f"(rutor à {cell} m nära färska händelser, för polisens patrullering och bovärdarnas "
                f"rundor): {len(zones)} rutor" + (f", {hidden} dolda på delad skärm (färre än "
                                                    f"{settings.min_count} händelser)" if hidden else ""))
    if prepared is not None:
        folium_map.show(prepared, height=420, returned_objects=[])


def _export(settings, store, filters, cell: int) -> None:
    url, scope = store.url, filters.scope
    st.subheader("Export till QGIS och Excel")
    if not scope.can(roles.EXPORT):
        st.info("Din roll får inte ta ut exporter.")
        return
    version = cached.data_version(url, scope)
    hidden = (f"antal under {settings.min_count} döljs som på skärmen" if scope.suppress(filters.shared_screen)
              else "alla antal visas som på skärmen (slå på Delad skärm för att dölja små tal)")
    st.caption(f"Rutor (antal, Gi*, klass, mönster över tid), near-repeat-tabellen, platser, områden "
               f"och åtgärder för {filters.period.label()}, i SWEREF 99 TM (EPSG:3006); {hidden}. "
               "Exporten loggas.")
    a, b = st.columns(2)
    fmt = a.selectbox("Format", FORMATS, format_func=label_of(FORMAT_LABELS), key="hs_export_format")
    present = sorted(cached.event_categories(url, scope, version), key=category_label)
    default = [c for c in NEAR_DEFAULT if c in present][:1]
    near = b.multiselect("Kategori för near-repeat", present, default=default,
                         format_func=category_label, key="hs_export_near",
                         placeholder="Välj kategori")
    period = filters.period
    file_name = f"est_{period.start}_{period.end}.{'zip' if fmt == 'geojson' else fmt}"
    suppressed = scope.suppress(filters.shared_screen)
    download(st, store, scope, "Ladda ner", lambda: cached_analysis.export_bytes(
        url, scope, version, period.start, period.end, fmt, cell, tuple(near) or ("bostadsinbrott",),
        settings.min_count, filters.shared_screen), file_name, MIME[fmt], key="hs_export_download",
        what="layers", format=fmt, period=period.label(), suppressed=suppressed)
