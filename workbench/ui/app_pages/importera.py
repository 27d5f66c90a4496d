"""Importera: upload a file, check what was detected, preview, import, read the report."""

from __future__ import annotations

import hashlib

import streamlit as st

from workbench import roles
from workbench.access import gate
from workbench.errors import WorkbenchError
from workbench.io.importers.base import ImportReport
from workbench.io.importers.sources import POINT_SOURCES
from workbench.io.layers import read_named_layer
from workbench.io.uploads import check_upload, max_upload_bytes
from workbench.maps.build import Basemap, layer_preview_map, map_html, points_preview_map
from workbench.services import imports
from workbench.ui import import_widgets as W
from workbench.ui import personal_data
from workbench.ui import text_sv as T
from workbench.ui.labels import label_of
from workbench.ui.state import get_store, page, plain, show_html_map

settings, store, filters = page("Importera", roles.IMPORT)
scope, organisation = filters.scope, filters.organisation
MAX_UPLOAD_BYTES = max_upload_bytes(settings)
basemap = Basemap(settings.basemap, settings.basemap_attribution)

st.caption(f"Filen importeras till **{plain(organisation)}**. Fritext skannas efter personnummer, "
           "telefonnummer, e-post och registreringsnummer innan något sparas; rader som redan finns "
           "räknas som dubbletter och sparas inte igen.")

what = st.selectbox("Vad innehåller filen?", list(T.IMPORT_WHAT), format_func=label_of(T.IMPORT_WHAT),
                    key="import_what")
upload = st.file_uploader("Fil", type=T.IMPORT_TYPES[what], key=f"import_file_{what}")
if upload is None:
    st.info("Välj en fil. Teckenkodning (UTF-8, Windows-1252 eller UTF-16), avgränsare, kolumner och "
            "koordinatsystem upptäcks automatiskt och kan ändras innan importen.")
    st.stop()
data, file_name = upload.getvalue(), upload.name
try:  # size, type and content before anything is parsed
    check_upload(data, file_name, max_bytes=MAX_UPLOAD_BYTES, allowed=what)
except WorkbenchError as exc:
    st.error(plain(str(exc)))
    st.stop()
digest = hashlib.sha256(data).hexdigest()


def done(report: ImportReport) -> None:
    st.cache_data.clear()  # every page shows the new rows at once
    st.session_state["import_last_report"] = report
    st.success(f"{plain(report.file_name)}: {report.imported} importerade, {report.duplicates} dubbletter, "
               f"{report.rejected} avvisade"
               + (f", {report.changed} ändrade ({report.updated} uppdaterade)" if report.changed else "")
               + "."
               + (" Fördelat: " + ", ".join(f"{plain(o)} {n}" for o, n in sorted(report.routed.items()))
                  if len(report.routed) > 1 else ""))


@st.cache_data(max_entries=8, show_spinner="Läser filen …")
def _detect(what: str, digest: str, _data: bytes, file_name: str) -> imports.Detected:
    return imports.detect(what, _data, file_name)


@st.cache_data(max_entries=8, show_spinner="Kontrollerar raderna …")
def _preview(url: str, what: str, digest: str, _data: bytes, file_name: str, scope,
             crs: str, mapping: tuple, version: int):
    return gate.preview_points(get_store(url), scope, what, _data, file_name,
                               crs=crs or None, mapping=dict(mapping) or None,
                               sensitive=settings.sensitive_categories)


def point_flow() -> None:
    kind = POINT_SOURCES[what][0]
    detected = _detect(what, digest, data, file_name)
    details = [f"Format: {detected.format_label}"]
    if detected.encoding:
        details.append(f"teckenkodning {detected.encoding.replace('-sig', ' (med BOM)')}")
    if detected.delimiter:
        details.append("avgränsare " + {"\t": "tabb", ";": "semikolon", ",": "komma"}.get(
            detected.delimiter, detected.delimiter))
    st.markdown(plain(" · ".join(details)))  # the detected delimiter may be any character
    profiles = {p["name"]: p for p in gate.profiles(store, scope, what)}
    profile = st.selectbox("Importprofil", ["", *profiles], key="import_profile",
                           format_func=lambda n: n or "– ingen (upptäck kolumner) –")
    saved = profiles.get(profile, {})
    mapping: dict[str, str] = {}
    if detected.format == "table":
        with st.expander("Kolumner", expanded=not profile):
            mapping = W.mapping_editor(list(detected.headers), detected.columns, saved.get("mapping") or {},
                                       detected.unplaced, detected.not_stored)
            name = st.text_input("Spara kolumnvalen som profil", key="import_profile_name",
                                 placeholder="t.ex. Kommunpolisens veckoexport")
            clicked = st.button("Spara profil", key="import_save_profile") and name
            chosen = personal_data.confirm("import_profile", name if clicked else None,
                                           lambda held: {"Profilens namn": held})
            if chosen:
                gate.save_profile(store, scope, chosen, what, mapping,
                                  st.session_state.get("import_crs") or None)
                st.success(f"Profilen '{plain(chosen)}' är sparad.")
    crs_default = list(T.CRS_OPTIONS).index(saved.get("crs") or "") if saved.get("crs") in T.CRS_OPTIONS else 0
    crs = st.selectbox("Koordinatsystem", list(T.CRS_OPTIONS), format_func=label_of(T.CRS_OPTIONS),
                       index=crs_default, key="import_crs")
    version = st.session_state.get("category_version", 0)
    parsed = _preview(store.url, what, digest, data, file_name, scope, crs,
                      tuple(sorted(mapping.items())), version)
    cols = st.columns(4)
    cols[0].metric("Giltiga rader", len(parsed.frame))
    cols[1].metric("Avvisade rader", parsed.rejected)
    cols[2].metric("Maskerade personuppgifter", sum(parsed.redacted.values()))
    cols[3].metric("Koordinatsystem", parsed.crs or "–")
    st.subheader("Förhandsvisning")
    W.preview_table(parsed)
    preview = points_preview_map(parsed.frame["x"], parsed.frame["y"], parsed.frame["category_original"],
                                 basemap)
    if preview is not None:
        st.caption(f"De första {min(len(parsed.frame), 500)} raderna med koordinater "
                   "(bara för dig som importerar).")
        show_html_map(map_html(preview), height=320)
    W.problems_section(parsed.problems, file_name, "preview_problems")
    unmapped = W.unmapped_categories(parsed)
    if unmapped:
        with st.expander(f"{len(unmapped)} kategorier hamnade i 'Övrigt' – mappa dem"):
            saved_mapping = W.category_mapping_form(kind, unmapped)
            if saved_mapping:
                gate.map_category(store, scope, kind, *saved_mapping)
                st.session_state["category_version"] = version + 1
                st.rerun()
    on_change = st.radio("Rader med samma id men ändrat innehåll", list(T.ON_CHANGE),
                         format_func=label_of(T.ON_CHANGE), key="import_on_change", horizontal=True)
    route = False
    routable = detected.format == "police-api" or "municipality" in mapping or (
        "municipality" in detected.columns and detected.format == "table")
    if scope.police_area and scope.can(roles.POLICE_AREA) and routable:
        route = st.checkbox(f"Fördela raderna på kommunerna i {plain(scope.police_area)}", value=True,
                            key="import_route",
                            help="Varje rad sparas hos sin kommun (kommunkolumnen eller händelsens "
                                 "plats); rader för kommuner utanför området redovisas.")
    rows_label = "1 rad" if len(parsed.frame) == 1 else f"{len(parsed.frame)} rader"
    if route and st.button("Importera och fördela på kommunerna", type="primary", key="import_go"):
        done(gate.import_routed(store, scope, what, data, file_name, crs=crs or None,
                                mapping=mapping or None, sensitive=settings.sensitive_categories,
                                on_change=on_change))
    elif not route and st.button(f"Importera {rows_label}", type="primary", key="import_go"):
        bar = st.progress(0.0, text="Sparar …")
        report = gate.store_parsed(
            store, scope, parsed, source_kind=what, on_change=on_change,
            progress=lambda n, total: bar.progress(n / max(total, 1), text=f"Sparar {n} av {total} …"))
        bar.empty()
        done(report)


def layer_flow() -> None:
    layer = "district"
    if what == "areas":
        layer = st.selectbox("Lager", list(T.LAYER_KINDS), format_func=label_of(T.LAYER_KINDS),
                             key="import_layer")
    frame = read_named_layer(data, file_name)
    st.markdown(f"{len(frame)} objekt, koordinatsystem {plain(frame.attrs.get('source_crs') or 'okänt')} "
                "(lagras i SWEREF 99 TM).")
    show_html_map(map_html(layer_preview_map(frame, basemap)), height=360)
    preview = frame.drop(columns="geometry").head(50)
    preview.attrs = {}  # the problems ride in attrs; Streamlit cannot serialise them (a log warning)
    st.dataframe(preview, hide_index=True, width="stretch")
    W.problems_section(frame.attrs.get("problems", []), file_name, "layer_problems")
    if st.button(f"Importera {len(frame)} objekt", type="primary", key="import_go"):
        done(gate.import_file(store, scope, what, data, file_name, layer=layer))


@st.cache_data(max_entries=8, show_spinner="Läser filen …")
def _detect_walks(digest: str, _data: bytes, file_name: str):
    return imports.detect_walks(_data, file_name)


@st.cache_data(max_entries=8, show_spinner="Kontrollerar iakttagelserna …")
def _preview_walks(url: str, digest: str, _data: bytes, file_name: str, scope, table_digest: str,
                   _table: bytes | None, table_name: str | None, crs: str, mapping: tuple):
    return gate.preview_walks(get_store(url), scope, _data, file_name, walks_data=_table,
                              walks_name=table_name, crs=crs or None, mapping=dict(mapping) or None)


def walks_flow() -> None:
    """The same steps as incidents: columns, preview, problems, then import."""
    table = st.file_uploader("Vandringarna (CSV/XLSX med datum, område, deltagare) – valfritt",
                             type=["csv", "txt", "xlsx"], key="import_walks_table")
    table_data = table.getvalue() if table else None
    table_digest = hashlib.sha256(table_data).hexdigest() if table_data else ""
    headers, columns = _detect_walks(digest, data, file_name)
    with st.expander("Kolumner", expanded=True):
        mapping = W.mapping_editor(headers, columns, {}, labels=T.WALK_FIELD_LABELS, key_prefix="walkmap_")
    crs = st.selectbox("Koordinatsystem", list(T.CRS_OPTIONS), format_func=label_of(T.CRS_OPTIONS),
                       key="import_walk_crs")
    parsed, walks, walk_problems = _preview_walks(store.url, digest, data, file_name, scope, table_digest,
                                                  table_data, table.name if table else None, crs,
                                                  tuple(sorted(mapping.items())))
    cols = st.columns(5)
    cols[0].metric("Vandringar", len(walks))
    cols[1].metric("Giltiga iakttagelser", len(parsed.frame))
    cols[2].metric("Avvisade rader", parsed.rejected)
    cols[3].metric("Maskerade personuppgifter", sum(parsed.redacted.values()))
    cols[4].metric("Koordinatsystem", parsed.crs or "–")
    st.subheader("Förhandsvisning")
    W.preview_table(parsed, key="import_walk_preview_table")
    preview = points_preview_map(parsed.frame["x"], parsed.frame["y"], parsed.frame["category_original"],
                                 basemap)
    if preview is not None:
        st.caption(f"De första {min(len(parsed.frame), 500)} iakttagelserna (bara för dig som importerar).")
        show_html_map(map_html(preview), height=320)
    W.problems_section([*walk_problems, *parsed.problems], file_name, "walk_preview_problems")
    label = "1 iakttagelse" if len(parsed.frame) == 1 else f"{len(parsed.frame)} iakttagelser"
    if st.button(f"Importera {label}", type="primary", key="import_go"):
        done(gate.import_file(store, scope, "walks", data, file_name, walks_data=table_data,
                              walks_name=table.name if table else None, crs=crs or None,
                              mapping=mapping or None))


def indicators_flow() -> None:
    if st.button("Importera indikatorerna", type="primary", key="import_go"):
        done(gate.import_file(store, scope, "area-indicators", data, file_name))


try:
    if what in POINT_SOURCES:
        point_flow()
    elif what in ("areas", "places"):
        layer_flow()
    elif what == "walks":
        walks_flow()
    else:
        indicators_flow()
except WorkbenchError as exc:
    st.error(plain(str(exc)))

last = st.session_state.get("import_last_report")
if isinstance(last, ImportReport) and last.file_name == file_name:
    st.subheader("Importrapport")
    W.report_metrics(last)
    W.problems_section(last.problems, last.file_name, "report_problems")
