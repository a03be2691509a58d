"""Indicators -> evidence items, by threshold rules the user can read and edit.

A rules file (YAML; the default is ``multilat/indicators/rules/default.yaml``)::

    schema_version: 1
    layer: data                      # the evidence layer the items form
    years: [2009, 2019]              # years the rules look at (default for every rule)
    datasets: {imf-dots: imf_dots, wdi: worldbank_wdi}   # dataset -> bibliography key
    rules:
      - id: kaz-imports-eaeu-high
        label: share of Kazakhstan's imports coming from the other EAEU members
        when:                        # every condition must hold in a year
          - {table: trade, country: KAZ, partner: EAEU, flow: imports,
             measure: share_pct, at_least: 33.3}
        evidence: {actor: KAZ, variable: balance_of_outside_options, level: unfavorable,
                   side: rising, strength: straw_in_the_wind, reliability: 0.9}
        rationale: one line, why this direction and strength
        overlaps: [core-item-id]     # optional: core items measuring the same fact
        skip_years: [2010]           # optional: years with known data artefacts
        enabled: true                # optional

A ``trade`` condition selects ``country``, ``partner`` and ``flow`` and a ``measure`` among
``share_pct``, ``trend_pp_per_year``, ``hhi``, ``value_usd_millions``; a ``macro`` condition
selects ``country``, ``indicator`` and a ``measure`` among ``value``, ``change``, ``shock``.
The comparison is one of ``at_least`` (>=), ``above`` (>), ``at_most`` (<=), ``below`` (<).
Years in which every condition has a value and holds (group shares with a member missing do
not count; ``skip_years`` are not looked at) fire the rule; each run of consecutive years (a
skipped year does not break a run) becomes ONE evidence item spanning them, recording the
dataset, the query, every value, the threshold and the rule.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .._files import atomic_write_text
from .._rules import (
    LayerMethods,
    consecutive_runs,
    emitted_evidence_schema,
    evidence_item,
    fill_roles,
    load_rules_file,
    show_number,
)
from ..case.model import Case
from ..errors import InputError
from ..settings import STRENGTHS
from .builtin import DATASETS
from .table import IndicatorTable, macro_table, trade_table

__all__ = ["EvidenceLayer", "RuleFiring", "default_rules_path", "evidence_from_indicators",
           "fill_roles", "load_rules", "role_actors", "write_evidence_file"]

_OPERATORS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "at_least": (">=", lambda v, t: v >= t),
    "above": (">", lambda v, t: v > t),
    "at_most": ("<=", lambda v, t: v <= t),
    "below": ("<", lambda v, t: v < t),
}
_TRADE_MEASURES = ["share_pct", "trend_pp_per_year", "hhi", "value_usd_millions"]
_MACRO_MEASURES = ["value", "change", "shock"]
_YEARS = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
_ID = {"type": "string", "pattern": r"^[a-z0-9{][a-z0-9_.{}-]*$",
       "description": "a lowercase id; may hold {role} placeholders"}
_ROLES = {"type": "object", "additionalProperties": {
    "type": "object", "required": ["id"], "additionalProperties": False,
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
    "description": "the actors {role} and {role.name} stand for when no case is given"}


def _condition_schema() -> dict[str, Any]:
    comparison = {name: {"type": "number"} for name in _OPERATORS}
    one_comparison = {"oneOf": [{"required": [name]} for name in _OPERATORS],
                      "description": "exactly one of at_least, above, at_most, below"}
    trade = {"type": "object", "additionalProperties": False,
             "required": ["table", "country", "partner", "flow", "measure"],
             "properties": {"table": {"const": "trade"}, "country": {"type": "string"},
                            "partner": {"type": "string"},
                            "flow": {"enum": ["exports", "imports", "turnover"]},
                            "measure": {"enum": _TRADE_MEASURES}, **comparison},
             **one_comparison}
    macro = {"type": "object", "additionalProperties": False,
             "required": ["table", "country", "indicator", "measure"],
             "properties": {"table": {"const": "macro"}, "country": {"type": "string"},
                            "indicator": {"type": "string"},
                            "measure": {"enum": _MACRO_MEASURES}, **comparison},
             **one_comparison}
    return {"if": {"properties": {"table": {"const": "trade"}}},
            "then": trade, "else": macro,
            "required": ["table"], "properties": {"table": {"enum": ["trade", "macro"]}}}


RULES_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["schema_version", "layer", "rules"],
    "properties": {
        "schema_version": {"const": 1},
        "layer": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$"},
        "description": {"type": "string"},
        "years": _YEARS,
        "datasets": {"type": "object", "additionalProperties": {"type": "string"}},
        "roles": _ROLES,
        "rules": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "label", "when", "evidence", "rationale"],
            "properties": {
                "id": _ID, "label": {"type": "string", "minLength": 1},
                "enabled": {"type": "boolean"}, "years": _YEARS,
                "skip_years": {"type": "array", "items": {"type": "integer"}},
                "when": {"type": "array", "minItems": 1, "items": _condition_schema()},
                "evidence": emitted_evidence_schema(
                    "strength", strength={"enum": list(STRENGTHS)}),
                "rationale": {"type": "string", "minLength": 1},
                "overlaps": {"type": "array", "items": {"type": "string"}},
            }}},
    },
}


def default_rules_path() -> Path:
    """The rules file shipped with multilat (used for the built-in case's data layer)."""
    return Path(str(resources.files("multilat") / "indicators" / "rules" / "default.yaml"))


def load_rules(path: str | Path) -> dict[str, Any]:
    """Read and validate a rules file; every problem is reported with its line."""
    return dict(load_rules_file(path, RULES_SCHEMA).data)


@dataclass(frozen=True, slots=True)
class RuleFiring:
    """One run of consecutive years in which a rule fired, and the values that made it fire."""

    rule: str
    start: int
    end: int
    values: Mapping[int, tuple[float, ...]]
    item: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EvidenceLayer(LayerMethods):
    """Evidence items built from indicators: an evidence file's content, with provenance."""

    layer: str
    description: str
    rules_file: str
    firings: tuple[RuleFiring, ...]
    skipped: tuple[str, ...]
    #: Rules that produced no item, with why (no data, or the conditions never held).
    silent: tuple[tuple[str, str], ...] = ()

    def to_yaml(self) -> str:
        return self._yaml("", "docs/indicators.md")


class _Tables:
    """Indicator tables computed once per country (and the files they came from)."""

    def __init__(self, trade_files: Sequence[str | Path],
                 macro_files: Sequence[str | Path]) -> None:
        self.trade_files = trade_files
        self.macro_files = macro_files

    @functools.cache  # noqa: B019 - the object lives for one call
    def get(self, table: str, country: str) -> IndicatorTable:
        if table == "trade":
            return trade_table(country, files=self.trade_files)
        return macro_table(country, files=self.macro_files,
                           indicators=sorted(self._macro_codes()))

    def _macro_codes(self) -> set[str]:
        from .builtin import builtin_macro_files, read_files, read_macro_file

        paths = [Path(p) for p in self.macro_files] or list(builtin_macro_files())
        return set(read_files(paths, read_macro_file)["indicator"])


def _series(tables: _Tables, condition: Mapping[str, Any]) -> tuple[dict[int, float], str, str]:
    """year -> value of one condition, its query text and its dataset."""
    table = tables.get(condition["table"], condition["country"])
    frame = table.frame
    if condition["table"] == "trade":
        rows = frame[(frame["partner"] == condition["partner"])
                     & (frame["flow"] == condition["flow"]) & (frame["missing"] == "")]
        members = sorted({m for m in rows["members"] if m})
        group = f" ({' / '.join(members)})" if members else ""
        query = (f"{condition['country']} {condition['flow']}, partner "
                 f"{condition['partner']}{group} / WORLD: {condition['measure']}")
    else:
        rows = frame[(frame["indicator"] == condition["indicator"])
                     & (frame["measure"] == condition["measure"])]
        query = f"{condition['country']} {condition['indicator']}: {condition['measure']}"
    column = "value" if condition["table"] == "macro" else condition["measure"]
    values = {int(y): float(v) for y, v in zip(rows["year"], rows[column], strict=True)
              if v is not None and not math.isnan(float(v))}
    files = sorted({str(f) for f in rows["source"]}) or list(table.files)
    return values, f"{', '.join(files)}: {query}", table.dataset


def _comparison(condition: Mapping[str, Any]) -> tuple[str, float, Callable[[float, float], bool]]:
    name = next(n for n in _OPERATORS if n in condition)
    symbol, test = _OPERATORS[name]
    return symbol, float(condition[name]), test


_runs = consecutive_runs
_number = show_number


def _fire(rule: Mapping[str, Any], span: tuple[int, int], tables: _Tables,
          datasets: Mapping[str, str], rules_name: str) -> list[RuleFiring]:
    series, queries, tests = [], [], []
    dataset = ""
    for condition in rule["when"]:
        observed, query, source = _series(tables, condition)
        dataset = dataset or source
        series.append(observed)
        queries.append(query)
        tests.append(_comparison(condition))
    skip = set(rule.get("skip_years", ()))
    fired = [y for y in range(span[0], span[1] + 1)
             if y not in skip and all(y in s and test(s[y], threshold)
                    for s, (_, threshold, test) in zip(series, tests, strict=True))]
    thresholds = "; ".join(f"{q.split(': ', 1)[1]} {symbol} {_number(threshold)}"
                           for q, (symbol, threshold, _) in zip(queries, tests, strict=True))
    firings = []
    for first, last in _runs(fired, skip):
        years = [y for y in range(first, last + 1) if y in fired]
        values = {y: tuple(s[y] for s in series) for y in years}
        shown = ", ".join(f"{y}: " + " / ".join(_number(v) for v in values[y]) for y in years)
        unused = sorted(skip & set(range(first, last + 1)))
        note = (f" Not used (data artefact): {', '.join(map(str, unused))}; the item spans it."
                if unused else "")
        item = evidence_item(
            rule, prefix="data", first=first, last=last,
            summary=f": {shown} (threshold: {thresholds}).",
            strength=rule["evidence"]["strength"],
            citation={"key": datasets.get(dataset, DATASETS[dataset].citation),
                      "locator": f"{'; '.join(queries)}; years {first}-{last}"},
            fired=f"({rules_name}) fired: {thresholds}", note=note)
        firings.append(RuleFiring(rule["id"], first, last, values, item))
    return firings


def role_actors(case: Case) -> dict[str, tuple[str, str]]:
    """``{role: (actor id, actor name)}``: the first actor of each role of ``case``."""
    out: dict[str, tuple[str, str]] = {}
    for actor in case.actors:
        out.setdefault(actor.role, (actor.id, actor.name))
    return out


def evidence_from_indicators(rules: str | Path | None = None, *,
                             trade_files: Sequence[str | Path] = (),
                             macro_files: Sequence[str | Path] = (),
                             years: tuple[int, int] | None = None,
                             tables: Sequence[str] = ("trade", "macro"),
                             case: Case | None = None) -> EvidenceLayer:
    """Apply threshold rules to the indicators and return the evidence items they produce.

    Parameters
    ----------
    rules
        A rules file (default: :func:`default_rules_path`).
    trade_files, macro_files
        Data files to compute indicators from (default: the data shipped with multilat).
    years
        Inclusive years to look at; default: the rules file's ``years``, else every year.
    tables
        Apply only the rules whose conditions all use these tables (``trade``, ``macro``).
    case
        Whose evidence it is: ``{role}`` and ``{role.name}`` in the rules stand for the first
        actor of that role in the case (default: the rules file's ``roles:``); the years
        default to the case's span.

    Returns
    -------
    EvidenceLayer
        ``to_yaml()`` is a valid evidence file (``schema_version: 1``) for a case.

    Raises
    ------
    RulesFileError
        For an invalid rules file (all problems, with lines).
    DataSourceError, InputError
        For unreadable data or a country absent from it.
    """
    path = Path(rules) if rules is not None else default_rules_path()
    spec = load_rules(path)
    cache = _Tables(tuple(trade_files), tuple(macro_files))
    datasets = {**{d.id: d.citation for d in DATASETS.values()}, **spec.get("datasets", {})}
    actors = ({r: (a["id"], a.get("name", a["id"])) for r, a in spec.get("roles", {}).items()}
              if case is None else role_actors(case))
    if case is not None and years is None:
        years = (case.start, case.end)
    default_span = years or tuple(spec.get("years", (1900, 2100)))
    firings: list[RuleFiring] = []
    skipped = []
    silent: list[tuple[str, str]] = []
    for raw in spec["rules"]:
        rule = fill_roles(raw, actors, str(raw["id"]))
        if case is not None:  # overlaps name core items: keep only the case's own
            ids = {e.id for e in case.evidence}
            rule["overlaps"] = [i for i in rule.get("overlaps", ()) if i in ids]
        if not rule.get("enabled", True):
            skipped.append(rule["id"])
            continue
        if any(c["table"] not in tables for c in rule["when"]):
            continue
        span = tuple(rule.get("years", default_span))
        if years is not None:
            span = (max(span[0], years[0]), min(span[1], years[1]))
        try:
            fired = _fire(rule, (int(span[0]), int(span[1])), cache, datasets, path.name)
        except InputError as error:  # e.g. a country the data do not have
            silent.append((rule["id"], f"no data: {error}"))
            continue
        if not fired:
            silent.append((rule["id"], f"its conditions never all held in {span[0]}-{span[1]}"))
        firings += fired
    return EvidenceLayer(spec["layer"], " ".join(spec.get("description", "").split()),
                         path.name, tuple(firings), tuple(skipped), tuple(silent))


def write_evidence_file(layer: EvidenceLayer, path: str | Path) -> Path | None:
    """Write ``layer`` as an evidence file, atomically; an existing file is backed up first.

    Returns the backup's path, if one was made.
    """
    return atomic_write_text(path, layer.to_yaml())
