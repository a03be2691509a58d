"""``multilat indicators``: trade and macro indicators, evidence from them, online fetchers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._common import handle_errors, open_case, print_table

if TYPE_CHECKING:
    from ..indicators import EvidenceLayer

_FORMAT = click.option("--format", "fmt",
                       type=click.Choice(["table", "csv", "json", "parquet"]), default=None,
                       help="Output format (default: a readable table on a terminal, csv "
                            "when piped or written to a file).")


def _format(fmt: str | None, out: str | None) -> str:
    if fmt is None:
        return "table" if out is None and sys.stdout.isatty() else "csv"
    if fmt == "table" and out is not None:
        raise click.UsageError("--format table prints to the terminal; use csv, json or "
                               "parquet with --out")
    return fmt


def _cell(value: Any) -> str:
    """A number with at most two decimals; missing values as '-'."""
    if isinstance(value, float):
        return "-" if value != value else f"{value:.2f}"
    return "" if value is None else str(value)


def _print_trade(frame: Any) -> None:
    """Shares by partner (columns) and year (rows), one table per flow, one decimal."""
    for flow in sorted(set(frame["flow"])):
        rows = frame[frame["flow"] == flow]
        partners = sorted(set(rows["partner"]))
        years = sorted(set(rows["year"]))
        cells = {(int(y), p): v for y, p, v in zip(rows["year"], rows["partner"],
                                                    rows["share_pct"], strict=True)}
        body = [[str(y), *("-" if cells.get((int(y), p)) is None
                           or cells[(int(y), p)] != cells[(int(y), p)]
                           else f"{cells[(int(y), p)]:.1f}" for p in partners)]
                for y in years]
        print_table(f"{set(rows['country']).pop()} {flow}, % by partner",
                    ["year", *partners], body)
_OUT = click.option("--out", type=click.Path(dir_okay=False), default=None,
                    help="Write here (atomically; an existing file is kept as .bak). "
                         "Default: standard output (csv/json only).")
_FILES = click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
                      help="A data file to read instead of the shipped data (repeatable).")
def _ordered_years(context: click.Context, parameter: click.Parameter,
                   value: tuple[int, int] | None) -> tuple[int, int] | None:
    if value is not None and value[0] > value[1]:
        raise click.BadParameter(f"found {value[0]} {value[1]}; expected FIRST <= LAST")
    return value


_YEARS = click.option("--years", nargs=2, type=int, default=None, metavar="FIRST LAST",
                      callback=_ordered_years, help="Only these years (inclusive).")
_RULES = click.option("--as-evidence", "rules", type=click.Path(dir_okay=False), default=None,
                      metavar="RULES.yaml",
                      help="Instead of the table, write an evidence file built by these "
                           "threshold rules ('default' = the shipped rules).")


def _emit(data: bytes, out: str | None, fmt: str) -> None:
    if out is not None:
        click.echo(f"Wrote {out}.", err=True)
    elif fmt == "parquet":
        raise click.UsageError("parquet needs --out FILE")
    else:
        click.echo(data.decode("utf-8"), nl=False)


def _evidence(rules: str, files: tuple[str, ...], years: tuple[int, int] | None,
              table: str | None, out: str | None) -> None:
    from ..indicators import evidence_from_indicators

    layer = evidence_from_indicators(
        None if rules == "default" else rules,
        trade_files=files if table == "trade" else (),
        macro_files=files if table == "macro" else (), years=years,
        tables=(table,) if table else ("trade", "macro"))
    _emit_layer(layer, out)


def _add_references(case: Any, keys: set[str]) -> None:
    """Add the shipped datasets' BibTeX entries a generated layer cites to the case's
    bibliography (a backup first); say which."""
    from .._references import add_dataset_references

    added = add_dataset_references(case.bibliography_path, keys)
    if added:
        click.echo(f"Added to {case.bibliography_path} (backup kept): {', '.join(added)}.",
                   err=True)


def _emit_layer(layer: EvidenceLayer, out: str | None) -> None:
    """Print the evidence file, or write it atomically to ``out``."""
    from ..indicators import write_evidence_file

    if out is None:
        click.echo(layer.to_yaml(), nl=False)
    else:
        write_evidence_file(layer, out)
        click.echo(f"Wrote {out}: {layer}.", err=True)


@click.group()
def indicators() -> None:
    """Indicators from trade (IMF DOTS) and macro (World Bank WDI) data, and evidence from them.

    Needs the data extra: pip install "multilat[data]". See docs/indicators.md.
    """


@indicators.command()
@click.option("--country", default=None, metavar="ISO3",
              help="The reporting country (e.g. KAZ); required unless --as-evidence.")
@_FILES
@_YEARS
@_FORMAT
@_OUT
@_RULES
@handle_errors
def trade(country: str | None, files: tuple[str, ...], years: tuple[int, int] | None,
          fmt: str, out: str | None, rules: str | None) -> None:
    """Shares of exports, imports and turnover by partner (RUS, CHN, EU, EAEU...), HHI, trend.

    Example: multilat indicators trade --country KAZ --format json --out kaz-trade.json
    """
    from ..indicators import trade_table, write_table

    if rules is not None:
        _evidence(rules, files, years, "trade", out)
        return
    if country is None:
        raise click.UsageError("give --country (or --as-evidence RULES)")
    table = trade_table(country, files=files, years=years)
    fmt = _format(fmt, out)
    if fmt == "table":
        _print_trade(table.frame)
        return
    _emit(write_table(table, out, fmt), out, fmt)


@indicators.command()
@click.option("--country", default=None, metavar="ISO3",
              help="The country (e.g. KAZ, or WLD); required unless --as-evidence.")
@click.option("--indicator", "codes", multiple=True, metavar="CODE",
              help="A WDI code (repeatable; default: growth, fuel exports, tariff, trade).")
@_FILES
@_YEARS
@_FORMAT
@_OUT
@_RULES
@handle_errors
def macro(country: str | None, codes: tuple[str, ...], files: tuple[str, ...],
          years: tuple[int, int] | None, fmt: str, out: str | None, rules: str | None) -> None:
    """GDP growth shocks, fuel-export dependence, tariff level and change (WDI).

    Example: multilat indicators macro --country KAZ --indicator TM.TAX.MRCH.WM.AR.ZS
    """
    from ..indicators import DEFAULT_MACRO_INDICATORS, macro_table, write_table

    if rules is not None:
        _evidence(rules, files, years, "macro", out)
        return
    if country is None:
        raise click.UsageError("give --country (or --as-evidence RULES)")
    table = macro_table(country, files=files, indicators=codes or DEFAULT_MACRO_INDICATORS,
                        years=years)
    fmt = _format(fmt, out)
    if fmt == "table":
        frame = table.frame
        print_table(f"{country}: WDI indicators", list(frame.columns),
                    [[_cell(v) for v in row] for row in frame.itertuples(index=False)])
        return
    _emit(write_table(table, out, fmt), out, fmt)


@indicators.command()
@click.option("--rules", default="default", show_default=True, metavar="RULES.yaml",
              help="A rules file ('default' = the shipped rules).")
@click.option("--trade-file", "trade_files", multiple=True, type=click.Path(dir_okay=False),
              help="Trade data instead of the shipped DOTS data (repeatable).")
@click.option("--macro-file", "macro_files", multiple=True, type=click.Path(dir_okay=False),
              help="WDI data instead of the shipped WDI data (repeatable).")
@_YEARS
@click.option("--case", "case_path", default=None, metavar="CASE",
              help="Whose evidence: the rules' {rising}, {established}... become this case's "
                   "actors, the years its span; the datasets' references are added to its "
                   "bibliography (kept as .bak first).")
@_OUT
@handle_errors
def evidence(rules: str, trade_files: tuple[str, ...], macro_files: tuple[str, ...],
             years: tuple[int, int] | None, case_path: str | None, out: str | None) -> None:
    """Apply every rule (trade and macro) and write one evidence file (a case layer).

    Example: multilat indicators evidence --case my-case/case.yaml --out data-layer.yaml
    """
    from ..indicators import evidence_from_indicators

    case = open_case(case_path) if case_path else None
    layer = evidence_from_indicators(None if rules == "default" else rules,
                                     trade_files=trade_files, macro_files=macro_files,
                                     years=years, case=case)
    _emit_layer(layer, out)
    if case is not None:
        _add_references(case, {str(item["citation"]["key"]) for item in layer.items})


@indicators.group()
def fetch() -> None:
    """Download data from the World Bank or IMF APIs (cached; polite retries)."""


_CACHE = click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
                      help="Cache folder (default: $MULTILAT_CACHE or ~/.cache/multilat).")
_REFRESH = click.option("--refresh", is_flag=True, help="Ignore cached responses.")


def _client(cache_dir: str | None, refresh: bool) -> object:
    from ..indicators.fetch import HttpClient, default_cache_dir

    return HttpClient(cache_dir=Path(cache_dir) if cache_dir else default_cache_dir(),
                      refresh=refresh)


def _write_csv(frame: Any, out: str) -> None:
    """Write a fetched table as CSV, atomically (an existing file is kept as .bak)."""
    from .._csv import safe_frame
    from .._files import atomic_write_bytes

    text = safe_frame(frame).to_csv(index=False, lineterminator="\n")
    atomic_write_bytes(out, text.encode("utf-8"))
    click.echo(f"Wrote {out}: {len(frame)} rows.", err=True)


@fetch.command("worldbank")
@click.option("--indicator", required=True, metavar="CODE", help="A WDI code.")
@click.option("--country", "countries", multiple=True, required=True, metavar="ISO3")
@_YEARS
@_CACHE
@_REFRESH
@click.option("--out", type=click.Path(dir_okay=False), required=True)
@handle_errors
def fetch_worldbank(indicator: str, countries: tuple[str, ...], years: tuple[int, int] | None,
                    cache_dir: str | None, refresh: bool, out: str) -> None:
    """Download one WDI indicator into a CSV that --file reads back.

    \b
    Example: multilat indicators fetch worldbank --indicator NY.GDP.MKTP.KD.ZG
               --country KAZ --out gdp.csv
    """
    from ..indicators.fetch import fetch_worldbank_indicator

    frame = fetch_worldbank_indicator(indicator, countries, years=years,
                                      client=_client(cache_dir, refresh))  # type: ignore[arg-type]
    _write_csv(frame, out)


@fetch.command("imf")
@click.option("--reporter", required=True, metavar="ISO3")
@click.option("--partner", "partners", multiple=True, required=True, metavar="ISO3",
              help="A partner (repeatable); include WORLD to compute shares.")
@_YEARS
@_CACHE
@_REFRESH
@click.option("--out", type=click.Path(dir_okay=False), required=True)
@handle_errors
def fetch_imf(reporter: str, partners: tuple[str, ...], years: tuple[int, int] | None,
              cache_dir: str | None, refresh: bool, out: str) -> None:
    """Download IMF DOTS flows into a tidy trade CSV that --file reads back.

    \b
    Example: multilat indicators fetch imf --reporter KAZ --partner RUS
               --partner WORLD --out kaz.csv
    """
    from ..indicators.fetch import fetch_imf_dots

    frame = fetch_imf_dots(reporter, partners, years=years,
                           client=_client(cache_dir, refresh))  # type: ignore[arg-type]
    _write_csv(frame, out)


COMMANDS = [indicators]
