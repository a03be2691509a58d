"""Macroeconomic exposure indicators per country-year, from WDI-like tables (pandas only).

For each WDI indicator the table has three measures:

- ``value``: the value the World Bank publishes for the year;
- ``change``: ``value[t] - value[s]``, *s* the latest earlier year with a value
  (``base_year`` says which; the tariff series has gaps, e.g. Kazakhstan 2008 -> 2010);
- ``shock``: ``value[t] - mean(value[t-3], value[t-2], value[t-1])`` (all three required), the
  deviation from the recent norm; for GDP growth, a growth shock in percentage points.

Indicators used by default: GDP growth (``NY.GDP.MKTP.KD.ZG``), fuel exports as % of
merchandise exports (``TX.VAL.FUEL.ZS.UN``), the applied weighted-mean tariff on all products
(``TM.TAX.MRCH.WM.AR.ZS``), trade as % of GDP (``TG.VAL.TOTL.GD.ZS``).

References
----------
World Bank, World Development Indicators (CC BY 4.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._deps import require
from ..errors import InputError

__all__ = ["DEFAULT_MACRO_INDICATORS", "MACRO_TABLE_COLUMNS", "macro_indicators"]

DEFAULT_MACRO_INDICATORS = ("NY.GDP.MKTP.KD.ZG", "TX.VAL.FUEL.ZS.UN", "TM.TAX.MRCH.WM.AR.ZS",
                            "TG.VAL.TOTL.GD.ZS")
MACRO_TABLE_COLUMNS = ("country", "indicator", "year", "measure", "value", "base_year",
                       "source")
_SHOCK_WINDOW = 3


def macro_indicators(macro: Any, country: str, *,
                     indicators: Sequence[str] = DEFAULT_MACRO_INDICATORS,
                     years: tuple[int, int] | None = None) -> Any:
    """Value, change and shock of WDI indicators for one country, per year.

    Parameters
    ----------
    macro
        A macro table (:func:`~multilat.indicators.readers.read_wdi_long` or
        :func:`~multilat.indicators.readers.read_wdi_wide`, possibly concatenated).
    country
        ISO3 code (or a WDI aggregate code such as ``WLD``).
    indicators
        WDI codes to report; those absent from the table are skipped.
    years
        Optional inclusive ``(first, last)``; changes and shocks still use earlier years.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MACRO_TABLE_COLUMNS`, long: one row per indicator x year x measure.
    """
    pandas = require("pandas", "data", "Computing macro indicators")
    own = macro[(macro["country"] == country) & macro["indicator"].isin(list(indicators))]
    if own.empty:
        raise InputError(f"no value of {', '.join(indicators)} for {country!r} in the macro "
                         "table; expected a WDI country code present in the data")
    records: list[dict[str, Any]] = []
    for indicator in indicators:
        series = own[own["indicator"] == indicator].sort_values("year")
        series = series.drop_duplicates("year", keep="last")
        by_year = dict(zip(series["year"].astype(int), series["value"].astype(float),
                           strict=True))
        sources = dict(zip(series["year"].astype(int), series["source"], strict=True))
        previous: int | None = None
        for year, value in by_year.items():
            base = {"country": country, "indicator": indicator, "year": year,
                    "source": sources[year]}
            records.append({**base, "measure": "value", "value": value, "base_year": None})
            if previous is not None:
                records.append({**base, "measure": "change", "value": value - by_year[previous],
                                "base_year": previous})
            window = [year - k for k in range(_SHOCK_WINDOW, 0, -1)]
            if all(y in by_year for y in window):
                norm = sum(by_year[y] for y in window) / _SHOCK_WINDOW
                records.append({**base, "measure": "shock", "value": value - norm,
                                "base_year": window[0]})
            previous = year
    table = pandas.DataFrame.from_records(records, columns=list(MACRO_TABLE_COLUMNS))
    table["base_year"] = table["base_year"].astype("Int64")
    if years is not None:
        table = table[(table["year"] >= years[0]) & (table["year"] <= years[1])]
    return table.reset_index(drop=True)
