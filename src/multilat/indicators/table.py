"""Indicator tables: build them from files (or the shipped data) and write them out.

:func:`trade_table` and :func:`macro_table` are the library verbs behind
``multilat indicators trade`` and ``multilat indicators macro``; they return an
:class:`IndicatorTable` recording the dataset and files it was computed from.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .._csv import safe_frame
from .._deps import require
from .._files import atomic_write_bytes
from ..errors import InputError
from .builtin import (
    DATASETS,
    builtin_macro_files,
    builtin_trade_files,
    read_files,
    read_macro_file,
    read_trade_file,
)
from .macro import DEFAULT_MACRO_INDICATORS, macro_indicators
from .trade import DEFAULT_PARTNERS, trade_shares

__all__ = ["FORMATS", "IndicatorTable", "macro_table", "trade_table", "write_table"]

Format = Literal["csv", "json", "parquet"]
FORMATS = ("csv", "json", "parquet")


@dataclass(frozen=True, slots=True)
class IndicatorTable:
    """Indicators of one country, with the dataset and files they come from.

    ``kind`` is ``trade`` (shares by partner; see :mod:`multilat.indicators.trade`) or
    ``macro`` (WDI value/change/shock; see :mod:`multilat.indicators.macro`).
    """

    kind: Literal["trade", "macro"]
    country: str
    frame: Any
    dataset: str
    files: tuple[str, ...]

    def __str__(self) -> str:
        years = self.frame["year"]
        span = f"{years.min()}-{years.max()}" if len(years) else "no years"
        return (f"{self.kind} indicators of {self.country}, {span}: {len(self.frame)} rows "
                f"from {DATASETS[self.dataset].title} ({', '.join(self.files)})")

    def to_frame(self) -> Any:
        """A copy of the table as a pandas DataFrame."""
        return self.frame.copy()

    def to_records(self) -> list[dict[str, Any]]:
        """JSON-safe records (missing values as ``None``)."""
        records = []
        for row in self.frame.to_dict(orient="records"):
            clean: dict[str, Any] = {}
            for key, value in row.items():
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    clean[key] = None
                elif hasattr(value, "item"):
                    clean[key] = value.item()
                elif type(value).__name__ == "NAType":
                    clean[key] = None
                else:
                    clean[key] = value
            records.append(clean)
        return records


def _names(paths: Sequence[Path]) -> tuple[str, ...]:
    return tuple(p.name for p in paths)


def trade_table(country: str, *, files: Sequence[str | Path] = (),
                partners: Sequence[str] = DEFAULT_PARTNERS,
                years: tuple[int, int] | None = None) -> IndicatorTable:
    """Trade shares of ``country`` from ``files`` (default: the shipped IMF DOTS data).

    Examples
    --------
    >>> table = trade_table("KAZ", years=(2015, 2015))
    >>> row = table.frame.query("partner == 'RUS' and flow == 'imports'").iloc[0]
    >>> round(float(row.share_pct), 1)
    34.4
    """
    paths = [Path(f) for f in files] or list(builtin_trade_files(country))
    trade = read_files(paths, read_trade_file)
    frame = trade_shares(trade, country, partners=partners, years=years)
    return IndicatorTable("trade", country, frame, "imf-dots", _names(paths))


def macro_table(country: str, *, files: Sequence[str | Path] = (),
                indicators: Sequence[str] = DEFAULT_MACRO_INDICATORS,
                years: tuple[int, int] | None = None) -> IndicatorTable:
    """WDI value, change and shock for ``country`` (default files: the shipped WDI data).

    Examples
    --------
    >>> table = macro_table("KAZ", indicators=["NY.GDP.MKTP.KD.ZG"], years=(2015, 2015))
    >>> round(float(table.frame.query("measure == 'value'").value.iloc[0]), 1)
    1.2
    """
    paths = [Path(f) for f in files] or list(builtin_macro_files())
    macro = read_files(paths, read_macro_file)
    frame = macro_indicators(macro, country, indicators=indicators, years=years)
    return IndicatorTable("macro", country, frame, "wdi", _names(paths))


def _serialise(table: IndicatorTable, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(table.to_records(), indent=1, ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        text: str = safe_frame(table.frame).to_csv(index=False, lineterminator="\n")
        return text.encode("utf-8")
    if fmt == "parquet":
        require("pyarrow", "data", "Writing parquet files")
        buffer = io.BytesIO()
        table.frame.to_parquet(buffer, index=False)
        return bytes(buffer.getvalue())
    raise InputError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def write_table(table: IndicatorTable, path: str | Path | None, fmt: str = "csv") -> bytes:
    """Serialise ``table`` as ``fmt``; write it atomically to ``path`` (backing up a file).

    Returns the bytes written (the caller prints them when ``path`` is ``None``).
    """
    data = _serialise(table, fmt)
    if path is not None:
        atomic_write_bytes(path, data)
    return data
