"""Indicators from real data, and evidence built from them by editable threshold rules.

The pipeline: files (IMF DOTS workbooks or long CSV, World Bank WDI bulk or long CSV, a tidy
trade CSV; or the online fetchers) -> tidy tables (:mod:`.readers`) -> indicators per
country-year (:func:`trade_table`, :func:`macro_table`) -> evidence items
(:func:`evidence_from_indicators`), each citing its dataset, query, values, threshold and rule.
Needs the ``data`` extra (pandas, openpyxl; pyarrow for parquet): ``pip install
"multilat[data]"``. See docs/indicators.md.
"""

from .builtin import DATASETS, Dataset, builtin_data_dir, read_macro_file, read_trade_file
from .groups import eaeu_members, partner_code
from .macro import DEFAULT_MACRO_INDICATORS, macro_indicators
from .table import FORMATS, IndicatorTable, macro_table, trade_table, write_table
from .to_evidence import (
    EvidenceLayer,
    RuleFiring,
    default_rules_path,
    evidence_from_indicators,
    load_rules,
    write_evidence_file,
)
from .trade import DEFAULT_PARTNERS, trade_shares

__all__ = [
    "DATASETS",
    "DEFAULT_MACRO_INDICATORS",
    "DEFAULT_PARTNERS",
    "FORMATS",
    "Dataset",
    "EvidenceLayer",
    "IndicatorTable",
    "RuleFiring",
    "builtin_data_dir",
    "default_rules_path",
    "eaeu_members",
    "evidence_from_indicators",
    "load_rules",
    "macro_indicators",
    "macro_table",
    "partner_code",
    "read_macro_file",
    "read_trade_file",
    "trade_shares",
    "trade_table",
    "write_evidence_file",
    "write_table",
]
