"""Property tests: arbitrary bytes and malformed tables give the typed error, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import ImportValidationError
from workbench.io.importers.base import ImportOptions, ParsedFile
from workbench.io.importers.indicators import parse_indicators
from workbench.io.importers.sources import parse_points
from workbench.io.importers.walks import parse_walk_observations
from workbench.io.layers import read_named_layer

SOURCES = st.sampled_from(["incidents", "fault-reports", "housing-reports"])
NAMES = st.sampled_from(["x.csv", "x.xlsx", "x.json", "x.txt", "x"])
CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["2025-03-05 14.30", "5/3 2025", "6399510", "377300", "57,72", "12,94", "",
                     "Misshandel", "Klotter", '"', ";", "\n", "X", "Y", "Datum", "Kategori",
                     "Från datum", "Brottstyp", "Latitud", "Longitud", "45000", "1e308", "nan"]),
)
HEADERS = st.lists(st.sampled_from(["Händelsenummer", "Brottstyp", "Från datum", "Från tid", "X", "Y",
                                    "Latitud", "Longitud", "Kategori", "Registrerad", "Åtgärdad",
                                    "Områdeskod", "Fritext", "Crime type", "Month", "Longitude",
                                    "Latitude", "", "Okänd"]), min_size=1, max_size=8)


def _check(call) -> None:
    try:
        result = call()
    except ImportValidationError as exc:
        assert str(exc)
        return
    assert isinstance(result, ParsedFile | tuple)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), source=SOURCES, name=NAMES)
def test_arbitrary_bytes(data, source, name):
    _check(lambda: parse_points(source, data, name, "Borås stad", ImportOptions()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers=HEADERS, rows=st.lists(st.lists(CELL, max_size=9), max_size=8),
       delimiter=st.sampled_from([";", ",", "\t"]), source=SOURCES,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_malformed_tables(headers, rows, delimiter, source, encoding):
    text = "\n".join(delimiter.join(r) for r in [headers, *rows])
    data = text.encode(encoding, errors="replace")
    _check(lambda: parse_points(source, data, "t.csv", "Borås stad", ImportOptions()))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["id", "datetime", "type", "location", "name",
                                                       "gps", "service_request_id", "requested_datetime",
                                                       "lat", "long", "summary", "status"]), children, max_size=6),
                    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=JSON, source=SOURCES)
def test_arbitrary_json(doc, source):
    data = json.dumps(doc).encode()
    _check(lambda: parse_points(source, data, "x.json", "Borås stad", ImportOptions()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.geojson", "a.gpkg", "a.zip", "a.csv"]))
def test_arbitrary_layers_walks_and_indicators(data, name):
    _check(lambda: read_named_layer(data, name))
    _check(lambda: parse_walk_observations(data, name, None))
    _check(lambda: parse_indicators(data, name.replace(".geojson", ".csv")))
