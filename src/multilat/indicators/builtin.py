"""The data shipped with multilat (``multilat/data``) and the readers picked by file format.

Shipped (see ``multilat/data/DATA_SOURCES.md`` for sources, licences and citations): the IMF
DOTS workbooks of Kazakhstan (``DOTS_103.xlsx``) and Russia (``DOTS_162.xlsx``), a long DOTS
extract for the six focus reporters (KAZ, RUS, BLR, ARM, KGZ, CHN; 2005-2020), WDI long files
for the focus countries and the World Bank's bulk CSV of the applied tariff.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .._csv import read_csv_rows, require_file
from .._deps import require
from ..errors import DataSourceError
from .readers import (
    read_dots_long,
    read_dots_workbook,
    read_macro_tidy,
    read_tidy_trade,
    read_wdi_long,
    read_wdi_wide,
)

__all__ = ["DATASETS", "Dataset", "builtin_data_dir", "builtin_macro_files",
           "builtin_trade_files", "read_macro_file", "read_trade_file"]


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset indicators are built from, and the bibliography key that cites it."""

    id: str
    title: str
    citation: str


DATASETS = {
    "imf-dots": Dataset("imf-dots", "IMF Direction of Trade Statistics (DOTS)", "imf_dots"),
    "wdi": Dataset("wdi", "World Bank World Development Indicators (WDI)", "worldbank_wdi"),
}

_WORKBOOKS = {"KAZ": "DOTS_103.xlsx", "RUS": "DOTS_162.xlsx"}
_LONG = "imf_dots_focus_reporters_2005_2020.csv.gz"


def builtin_data_dir() -> Path:
    """The folder of the shipped data."""
    return Path(str(resources.files("multilat") / "data"))


def builtin_trade_files(country: str) -> tuple[Path, ...]:
    """The shipped trade file for ``country``: its DOTS workbook, else the long extract."""
    name = _WORKBOOKS.get(country, _LONG)
    return (builtin_data_dir() / "dots" / name,)


def builtin_macro_files() -> tuple[Path, ...]:
    """The shipped WDI files (long files, then the tariff's bulk CSV)."""
    folder = builtin_data_dir() / "wdi"
    return tuple(sorted(folder.glob("*.csv"), key=lambda p: (p.name.startswith("API_"), p.name)))


def _header(path: Path) -> list[str]:
    for _, fields in read_csv_rows(path):
        if any(f.strip() for f in fields) and fields[0] not in ("Data Source",
                                                                "Last Updated Date"):
            return [f.strip() for f in fields]
    return []


def read_trade_file(path: str | Path) -> Any:
    """Read a trade file with the reader its format needs (DOTS xlsx, DOTS long, tidy CSV)."""
    path = Path(path)
    require_file(path)
    if path.suffix.lower() == ".xlsx":
        return read_dots_workbook(path)
    header = _header(path)
    if "reporter_iso3" in header:
        return read_dots_long(path)
    if {"country", "partner"} <= {h.lower() for h in header}:
        return read_tidy_trade(path)
    raise DataSourceError(str(path), f"the header {header[:6]}",
                          "an IMF DOTS workbook (.xlsx), the DOTS long CSV (reporter_iso3, ...) "
                          "or a tidy CSV (country, partner, year, flow, value)", row=1)


def read_macro_file(path: str | Path) -> Any:
    """Read a WDI file with the reader its format needs (bulk wide CSV or long CSV)."""
    path = Path(path)
    require_file(path)
    header = _header(path)
    if header[:4] == ["Country Name", "Country Code", "Year", "Value"]:
        return read_wdi_long(path)
    if header[:4] == ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]:
        return read_wdi_wide(path)
    if {"country", "indicator", "year", "value"} <= set(header):
        return read_macro_tidy(path)
    raise DataSourceError(str(path), f"the header {header[:5]}",
                          "a World Bank bulk CSV (Country Name, Country Code, Indicator Name, "
                          "Indicator Code, 1960, ...), a long WDI CSV (Country Name, Country "
                          "Code, Year, Value) or a macro table (country, indicator, year, value)",
                          row=1)


@functools.lru_cache(maxsize=64)
def _read_cached(path: Path, stamp: tuple[int, int], reader: Any) -> Any:
    return reader(path)


def read_files(paths: Sequence[Path], reader: Any) -> Any:
    """Read and concatenate several files with one reader (a file read once per change)."""
    pandas = require("pandas", "data", "Reading data files")
    frames = []
    for path in paths:
        path = Path(path)
        require_file(path)
        stat = path.stat()
        frames.append(_read_cached(path.resolve(), (stat.st_mtime_ns, stat.st_size),
                                   reader).copy())
    return pandas.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
