"""Area indicators: values per area and year (trygghetsundersökning, problem index, population)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from workbench.errors import ImportProblem, ImportValidationError
from workbench.io.importers.base import file_hash
from workbench.io.importers.columns import normalise_header
from workbench.io.importers.parse import parse_numbers
from workbench.io.importers.read import read_table
from workbench.io.importers.tabular import excel_rows
from workbench.io.importers.values import out_of_range, sv_number
from workbench.schema import MAX_POPULATION, TEXT_LIMITS

AREA_NAMES = ("område", "omrade", "stadsdel", "områdesnamn", "namn", "area", "district", "kod",
              "områdeskod", "basområde", "deso", "regso")
YEAR_NAMES = ("år", "ar", "year", "årtal", "undersökningsår")
INDICATOR_NAMES = ("indikator", "mått", "matt", "fråga", "variabel", "indicator", "measure")
VALUE_NAMES = ("värde", "varde", "value", "andel", "resultat")
POPULATION = re.compile(r"befolkning|folkmängd|invånare|population", re.I)


def is_population(indicator: str) -> bool:
    return bool(POPULATION.search(indicator))


def _find(headers: list[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        for header in headers:
            if normalise_header(header) == name:
                return header
    return None


def parse_indicators(data: bytes, file_name: str) -> tuple[pd.DataFrame, list[ImportProblem], str]:
    """Rows ``area_ref, year, indicator, value, row`` in long form, with problems and file hash.

    Wide tables (one column per indicator) and long tables (Indikator + Värde columns) both work.
    """
    table, table_format = read_table(data, file_name)
    headers = list(table.columns)
    area_col = _find(headers, AREA_NAMES)
    year_col = _find(headers, YEAR_NAMES)
    if area_col is None or year_col is None:
        raise ImportValidationError(
            f"{file_name}: indikatortabellen behöver en kolumn för område (t.ex. 'Område') och en "
            f"för år (t.ex. 'År'). Kolumner i filen: {', '.join(headers)}."
        )
    rows = excel_rows(table.index)
    indicator_col = _find(headers, INDICATOR_NAMES)
    value_col = _find(headers, VALUE_NAMES)
    if indicator_col and value_col:
        long = pd.DataFrame({"area_ref": table[area_col], "year_raw": table[year_col],
                             "indicator": table[indicator_col].str.strip(),
                             "value_raw": table[value_col], "row": rows,
                             "value_column": value_col})
    else:
        value_columns = [h for h in headers if h not in {area_col, year_col}]
        numeric = [h for h in value_columns
                   if parse_numbers(table[h].str.replace("%", "", regex=False)).notna().any()]
        if not numeric:
            raise ImportValidationError(f"{file_name}: hittar inga kolumner med värden.")
        long = pd.concat([pd.DataFrame({"area_ref": table[area_col], "year_raw": table[year_col],
                                        "indicator": h.strip(), "value_raw": table[h], "row": rows,
                                        "value_column": h}) for h in numeric], ignore_index=True)
    problems: list[ImportProblem] = list(table_format.problems)
    year = pd.to_numeric(long["year_raw"].str.extract(r"((?:19|20)\d{2})")[0], errors="coerce")
    value = parse_numbers(long["value_raw"].str.replace("%", "", regex=False))
    long["area_ref"] = long["area_ref"].str.strip()
    for i in np.flatnonzero(year.isna().to_numpy()):
        problems.append(ImportProblem(file_name, int(long.at[i, "row"]), year_col,
                                      f"ogiltigt år '{long.at[i, 'year_raw']}'"))
    given = long["value_raw"].str.strip().ne("")
    for i in np.flatnonzero((given & value.isna()).to_numpy() & year.notna().to_numpy()):
        problems.append(ImportProblem(file_name, int(long.at[i, "row"]), long.at[i, "value_column"],
                                      f"ogiltigt värde '{long.at[i, 'value_raw']}'"))
    odd = (value.notna() & ~np.isfinite(value.fillna(0))).to_numpy() & year.notna().to_numpy()
    population = long["indicator"].map(is_population).to_numpy(dtype=bool)
    odd |= population & out_of_range(value, 0, MAX_POPULATION) & year.notna().to_numpy()
    for i in np.flatnonzero(odd):
        limit = f" (en befolkning ska vara 0–{sv_number(MAX_POPULATION)})" if population[i] else ""
        problems.append(ImportProblem(file_name, int(long.at[i, "row"]), long.at[i, "value_column"],
                                      f"orimligt värde '{long.at[i, 'value_raw']}'{limit} – "
                                      "värdet importeras inte"))
    name_limit = TEXT_LIMITS["indicator"]
    long_name = (long["indicator"].str.len() > name_limit).to_numpy() & year.notna().to_numpy() & ~odd
    for i in np.flatnonzero(long_name):
        problems.append(ImportProblem(file_name, int(long.at[i, "row"]), indicator_col or long.at[i, "value_column"],
                                      f"indikatornamnet är {len(long.at[i, 'indicator'])} tecken, fler än "
                                      f"de {name_limit} som kan lagras – värdet importeras inte"))
    value = value.mask(pd.Series(odd | long_name, index=value.index))
    for i in np.flatnonzero(long["area_ref"].eq("").to_numpy()):
        problems.append(ImportProblem(file_name, int(long.at[i, "row"]), area_col, "område saknas"))
    keep = year.notna() & value.notna() & long["area_ref"].ne("")
    out = pd.DataFrame({"area_ref": long["area_ref"], "year": year, "indicator": long["indicator"],
                        "value": value, "row": long["row"], "area_column": area_col})[keep]
    out["year"] = out["year"].astype(int)
    return out.reset_index(drop=True), problems, file_hash(data)
