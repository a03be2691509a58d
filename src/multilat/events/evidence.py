"""Event counts -> evidence items: a dyad-year share against the dyad's own baseline.

A rules file (YAML; the default is ``multilat/events/rules/default.yaml``)::

    schema_version: 1
    layer: events                      # the evidence layer the items form
    years: [2009, 2019]                # years judged (default for every rule; a case's span)
    baseline: {before_span: 7}         # the 7 years before the span; or {years: [2002, 2008]};
                                       # or {preceding: 5}: the 5 years before each judged year
    roles: {rising: {id: KAZ, name: Kazakhstan}, established: {id: RUS, name: Russia}}
    min_events: 30                     # dyad-years (and baselines) with fewer events: not judged
    overdispersion: true               # widen the test by the baseline's year-to-year spread
    datasets: {icews-netify: icews_boschee2015}   # dataset -> bibliography key
    rules:
      - id: '{rising}-{established}-conflict-share-rising'
        label: share of conflict events in {rising.name}'s events toward {established.name}
        measure: {source: "{rising}", target: "{established}",
                  share_of: [verbal_conflict, material_conflict]}   # of: all events (default)
        change: rising                 # or falling
        bands:                         # weakest first; a year fires if it meets the first
          - {strength: straw_in_the_wind, h_at_least: 0.2, p_below: 0.05}
          - {strength: smoking_gun, h_at_least: 0.8, p_below: 0.001}
        evidence: {actor: "{rising}", variable: strategy, level: hold_up, reliability: 0.7}
        rationale: one line, why this direction and strength
        # optional: baseline, min_events, years, skip_years, enabled, overlaps

``source`` and ``target`` are upper-case ISO3 codes or role placeholders. ``{role}`` and
``{role.name}`` anywhere in a rule stand for the actor of that role (its code in ``measure``,
its id elsewhere; ids are lowercased once filled): the case's actors with ``case=``, one copy
of the rule per actor of a role (:mod:`multilat.events.actors`), else ``roles:``.
``share_of`` and ``of`` name quad classes (``verbal_coop``, ``material_coop``,
``verbal_conflict``, ``material_conflict``) or, for
aggregate tables only, CAMEO root codes as quoted strings (``"10"`` demand, ``"12"`` reject,
``"13"`` threaten), never both in one list (a quad class already counts its roots). The measure
of a dyad-year is ``sum(share_of) / sum(of)``. The baseline share is the pooled share over the
baseline years (``sum of counts / sum of totals``). A band holds when every size it names holds
in the rule's direction -- ``change_pp_at_least`` (percentage points), ``ratio_at_least`` (year
share / baseline share), ``h_at_least`` (Cohen's h, ``2 asin sqrt(p1) - 2 asin sqrt(p0)``) --
and the one-sided p-value of a two-proportion z-test of the year against the baseline is below
``p_below``. With ``overdispersion`` the test's variance is multiplied by the baseline years'
Pearson dispersion ``phi = max(1, X^2 / (m - 1))`` over the ``m`` baseline years with events (a
quasi-binomial correction: event counts are not independent draws; with ``m < 2`` phi is not
estimable, 1 is used and the judgement's note says so). The p-value is read off the normal
distribution although phi is estimated, and there is no multiple-testing correction across years
(see the docs). A year fires with the strength of the last band it meets; consecutive fired
years with the same strength become ONE item spanning them (a skipped year does not break a
run), recording the dataset, the query, every value, the band and the rule. See
docs/events-evidence.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
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
    placeholder_roles,
    show_number,
)
from .._yaml import LocatedData, format_path
from ..case.model import Case
from ..errors import InputError, Problem, RulesFileError
from ..settings import STRENGTHS
from .actors import EventActor, event_roles
from .dyads import (
    CAMEO_ROOTS,
    QUAD_CLASSES,
    builtin_dyads_path,
    read_dyad_years,
    read_event_aggregate,
)

__all__ = ["DEFAULT_DATASETS", "EventEvidenceLayer", "EventRuleFiring", "YearJudgement",
           "default_event_rules_path", "dyad_shares", "evidence_from_events",
           "load_event_rules", "write_event_evidence_file"]

#: Dataset id -> bibliography key, used unless a rules file's ``datasets`` says otherwise.
DEFAULT_DATASETS = {"icews-netify": "icews_boschee2015"}
_SIZES = ("change_pp_at_least", "ratio_at_least", "h_at_least")
_YEARS = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
_ID = {"type": "string", "pattern": r"^[a-z0-9{][a-z0-9_.{}-]*$",
       "description": "a lowercase id; may hold {role} placeholders"}
_CLASSES = {"type": "array", "minItems": 1, "uniqueItems": True,
            "items": {"enum": [*QUAD_CLASSES, *CAMEO_ROOTS]}}
_BASELINE = {"type": "object", "additionalProperties": False,
             "properties": {"years": _YEARS, "preceding": {"type": "integer", "minimum": 1},
                            "before_span": {"type": "integer", "minimum": 1}},
             "oneOf": [{"required": ["years"]}, {"required": ["preceding"]},
                       {"required": ["before_span"]}],
             "description": "exactly one of years, preceding, before_span"}
_MIN_EVENTS = {"type": "integer", "minimum": 1}
_COUNTRY = {"type": "string", "pattern": r"^([A-Z]{3}|\{[a-z][a-z0-9_]*\})$",
            "description": "an ISO3 country code in upper case (e.g. KAZ) or a role "
                           "placeholder (e.g. {rising})"}
_ROLES = {"type": "object", "additionalProperties": {
    "type": "object", "required": ["id"], "additionalProperties": False,
    "properties": {"id": {"type": "string", "pattern": r"^[A-Z]{3}$"},
                   "name": {"type": "string"}}},
    "description": "the actors {role} and {role.name} stand for when no case is given"}

RULES_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["schema_version", "layer", "baseline", "rules"],
    "properties": {
        "schema_version": {"const": 1},
        "layer": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$"},
        "description": {"type": "string"},
        "years": _YEARS, "baseline": _BASELINE, "min_events": _MIN_EVENTS,
        "overdispersion": {"type": "boolean"},
        "datasets": {"type": "object", "additionalProperties": {"type": "string"}},
        "roles": _ROLES,
        "rules": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "label", "measure", "change", "bands", "evidence", "rationale"],
            "properties": {
                "id": _ID, "label": {"type": "string", "minLength": 1},
                "enabled": {"type": "boolean"}, "years": _YEARS, "baseline": _BASELINE,
                "min_events": _MIN_EVENTS,
                "skip_years": {"type": "array", "items": {"type": "integer"}},
                "measure": {"type": "object", "additionalProperties": False,
                            "required": ["source", "target", "share_of"],
                            "properties": {"source": _COUNTRY, "target": _COUNTRY,
                                           "share_of": _CLASSES, "of": _CLASSES}},
                "change": {"enum": ["rising", "falling"]},
                "bands": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["strength", "p_below"],
                    "anyOf": [{"required": [size]} for size in _SIZES],
                    "description": "a strength, p_below and at least one of " + ", ".join(_SIZES),
                    "properties": {"strength": {"enum": list(STRENGTHS)},
                                   "p_below": {"type": "number", "exclusiveMinimum": 0,
                                               "maximum": 1},
                                   "change_pp_at_least": {"type": "number", "minimum": 0},
                                   "ratio_at_least": {"type": "number", "minimum": 1},
                                   "h_at_least": {"type": "number", "minimum": 0}}}},
                "evidence": emitted_evidence_schema(),
                "rationale": {"type": "string", "minLength": 1},
                "overlaps": {"type": "array", "items": {"type": "string"}},
            }}},
    },
}


def default_event_rules_path() -> Path:
    """The event rules shipped with multilat (used for the built-in case's events layer)."""
    return Path(str(resources.files("multilat") / "events" / "rules" / "default.yaml"))


def _is_years(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2
            and all(isinstance(y, int) and not isinstance(y, bool) for y in value))


def _rules_problems(located: LocatedData) -> list[Problem]:
    """What the schema cannot say: spans in order, a measure's classes, bands in order.

    Runs in the schema's pass, so it looks only at the parts that have the expected shape.
    """
    path, data = located.file, located.data
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return problems

    def add(where: tuple[Any, ...], found: str, expected: str) -> None:
        problems.append(Problem(path, located.line(where), format_path(where), found, expected))

    def span(value: Any, where: tuple[Any, ...]) -> None:
        if _is_years(value) and value[0] > value[1]:
            add(where, f"[{value[0]}, {value[1]}] (a reversed span)",
                "[first, last] with first <= last")

    span(data.get("years"), ("years",))
    if isinstance(data.get("baseline"), Mapping):
        span(data["baseline"].get("years"), ("baseline", "years"))
    rules = data.get("rules")
    for index, rule in enumerate(rules if isinstance(rules, list) else ()):
        if not isinstance(rule, Mapping):
            continue
        span(rule.get("years"), ("rules", index, "years"))
        if isinstance(rule.get("baseline"), Mapping):
            span(rule["baseline"].get("years"), ("rules", index, "baseline", "years"))
        measure = rule.get("measure")
        if isinstance(measure, Mapping):
            lists = {part: measure[part] for part in ("share_of", "of")
                     if isinstance(measure.get(part), list)
                     and all(isinstance(c, str) for c in measure[part])}
            for part, classes in lists.items():
                quads = [c for c in classes if c in QUAD_CLASSES]
                roots = [c for c in classes if c in CAMEO_ROOTS]
                if quads and roots:
                    add(("rules", index, "measure", part), ", ".join(map(repr, classes)),
                        "quad classes only or CAMEO roots only (a quad class already counts "
                        f"its roots: {', '.join(quads)} with {', '.join(roots)} counts events "
                        "twice)")
            if "share_of" in lists and "of" in lists:
                outside = [c for c in lists["share_of"] if c not in lists["of"]]
                if outside:
                    add(("rules", index, "measure", "of"), ", ".join(lists["of"]),
                        f"every class of share_of (missing: {', '.join(outside)})")
        bands = rule.get("bands")
        if not isinstance(bands, list) or not all(isinstance(b, Mapping) for b in bands):
            continue
        for band_index in range(1, len(bands)):
            weaker, stronger = bands[band_index - 1], bands[band_index]
            where = ("rules", index, "bands", band_index)
            ranks = [STRENGTHS.index(b["strength"]) if b.get("strength") in STRENGTHS else None
                     for b in (weaker, stronger)]
            if ranks[0] is not None and ranks[1] is not None and ranks[1] <= ranks[0]:
                add(where + ("strength",),
                    f"{stronger['strength']} after {weaker['strength']}"
                    + (" (a repeated strength)" if ranks[1] == ranks[0] else ""),
                    "strengths in increasing order, each once (" + " < ".join(STRENGTHS) + ")")
            def number(band: Mapping[str, Any], name: str) -> float:
                value = band.get(name)
                return float(value) if isinstance(value, (int, float)) else -1.0

            if (number(stronger, "p_below") > number(weaker, "p_below") >= 0.0
                    or any(number(stronger, s) < number(weaker, s) for s in _SIZES)):
                add(where, "a band looser than the one before",
                    "bands from weakest to strongest: each at least as strict as the previous "
                    "in p_below and in every size the previous one names")
    return problems


def load_event_rules(path: str | Path) -> dict[str, Any]:
    """Read and validate an event rules file; every problem is reported at once, with its line.

    Beyond the schema: spans (``years``, ``baseline.years``) in order, no measure list mixing
    quad classes with CAMEO roots, ``of`` containing every class of ``share_of``, and bands in
    increasing strength and strictness.
    """
    return dict(load_rules_file(path, RULES_SCHEMA, _rules_problems).data)


@dataclass(frozen=True, slots=True)
class YearJudgement:
    """One rule's measure in one year against its baseline, and the band it met (if any)."""

    rule: str
    year: int
    count: int                     # events in share_of
    total: int                     # events in of
    share: float | None
    baseline_years: tuple[int, ...]
    baseline_count: int
    baseline_total: int
    baseline_share: float | None
    change_pp: float | None        # (share - baseline) * 100, signed (negative: a fall)
    ratio: float | None            # share / baseline (below 1: a fall)
    h: float | None                # Cohen's h, in the rule's direction (> 0: the way it looks)
    z: float | None                # in the rule's direction
    p: float | None                # one-sided, in the rule's direction
    phi: float                     # dispersion factor applied to the variance
    strength: str | None           # the strongest band met, None when the rule did not fire
    note: str                      # why a year was not judged, or that phi was not estimable
                                   # ('' when it was judged with phi estimated or not used)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["baseline_years"] = list(self.baseline_years)
        for name, value in data.items():  # JSON has no infinity (a ratio over a zero share)
            if isinstance(value, float) and not math.isfinite(value):
                data[name] = str(value)
        return data


@dataclass(frozen=True, slots=True)
class EventRuleFiring:
    """One run of consecutive years in which a rule fired with one strength."""

    rule: str
    start: int
    end: int
    strength: str
    judgements: tuple[YearJudgement, ...]
    item: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EventEvidenceLayer(LayerMethods):
    """Evidence items built from event counts: an evidence file's content, with provenance."""

    layer: str
    description: str
    rules_file: str
    dataset: str
    data_file: str
    firings: tuple[EventRuleFiring, ...]
    judgements: tuple[YearJudgement, ...]
    skipped: tuple[str, ...]
    #: ``(rule, why)`` for every enabled rule that fired in no year.
    silent: tuple[tuple[str, str], ...] = ()

    def to_yaml(self) -> str:
        return self._yaml(f" applied to {self.data_file}", "docs/events-evidence.md")

    def summary(self) -> dict[str, Any]:
        """Which rules fired in which years with which strength, and every year's values."""
        return {"layer": self.layer, "rules_file": self.rules_file, "dataset": self.dataset,
                "data_file": self.data_file, "disabled": list(self.skipped),
                "fired": [{"rule": f.rule, "years": [f.start, f.end], "strength": f.strength,
                           "item": f.item["id"]} for f in self.firings],
                "did_not_fire": [{"rule": rule, "why": why} for rule, why in self.silent],
                "judgements": [j.to_dict() for j in self.judgements]}


def _classes_sum(row: Mapping[str, Any], classes: Sequence[str]) -> int:
    return sum(int(row[c if c in QUAD_CLASSES else f"cameo_{c}"]) for c in classes)


def dyad_shares(frame: Any, source: str, target: str, share_of: Sequence[str],
                of: Sequence[str] = QUAD_CLASSES) -> dict[int, tuple[int, int]]:
    """``year -> (events in share_of, events in of)`` of one directed dyad of a dyad table."""
    rows = frame[(frame["source_country"] == source) & (frame["target_country"] == target)]
    series = {int(row["year"]): (_classes_sum(row, share_of), _classes_sum(row, of))
              for row in rows.to_dict("records")}
    for year, (count, total) in sorted(series.items()):
        if count > total:  # the rules' checks keep share_of within of; this is a backstop
            raise InputError(
                f"{source}->{target} {year}: {count} events in share_of "
                f"({' + '.join(share_of)}) but {total} in of ({' + '.join(of)}): a share "
                "above 1; share_of must count a part of what of counts (no quad class with "
                "one of its own CAMEO roots, no class outside of)")
    return series


def _upper_tail(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


_NO_PHI = "phi not estimable (fewer than 2 baseline years with events): phi 1 used"


def _dispersion(counts: Sequence[tuple[int, int]], share: float) -> tuple[float, str]:
    """Pearson X^2 / (m - 1) of the ``m`` baseline years with events around their pooled share
    (>= 1), and a note when it cannot be estimated (fewer than two such years: phi 1 is used).

    A baseline year with no events adds nothing to X^2 and no degree of freedom.
    """
    years = [(k, n) for k, n in counts if n > 0]
    if len(years) < 2:
        return 1.0, _NO_PHI
    if share <= 0.0 or share >= 1.0:  # every baseline event (or none) in the measure
        return 1.0, ""
    chi2 = sum((k - n * share) ** 2 / (n * share * (1.0 - share)) for k, n in years)
    return max(1.0, chi2 / (len(years) - 1)), ""


def _judge(rule: Mapping[str, Any], year: int, series: Mapping[int, tuple[int, int]],
           baseline: Mapping[str, Any], min_events: int, overdispersion: bool
           ) -> YearJudgement:
    count, total = series.get(year, (0, 0))
    if "years" in baseline:
        first, last = baseline["years"]
        wanted = list(range(first, last + 1))
    else:
        wanted = list(range(year - baseline["preceding"], year))
    base_years = tuple(y for y in wanted if y in series and y != year)
    base = [series[y] for y in base_years]
    base_count, base_total = sum(k for k, _ in base), sum(n for _, n in base)
    direction = 1.0 if rule["change"] == "rising" else -1.0

    def unjudged(note: str) -> YearJudgement:
        share = count / total if total else None
        base_share = base_count / base_total if base_total else None
        return YearJudgement(rule["id"], year, count, total, share, base_years, base_count,
                             base_total, base_share, None, None, None, None, None, 1.0, None,
                             note)

    if year not in series:
        return unjudged("no data for the dyad this year")
    if year in wanted:
        return unjudged("inside the baseline window")
    if total < min_events:
        return unjudged(f"fewer than {min_events} events ({total})")
    if base_total < min_events:
        return unjudged(f"baseline with fewer than {min_events} events ({base_total})")
    share, base_share = count / total, base_count / base_total
    phi, phi_note = _dispersion(base, base_share) if overdispersion else (1.0, "")
    pooled = (count + base_count) / (total + base_total)
    variance = phi * pooled * (1.0 - pooled) * (1.0 / total + 1.0 / base_total)
    difference = direction * (share - base_share)
    z = difference / math.sqrt(variance) if variance > 0 else 0.0
    p = _upper_tail(z)
    high, low = (share, base_share) if direction > 0 else (base_share, share)
    h = 2.0 * math.asin(math.sqrt(high)) - 2.0 * math.asin(math.sqrt(low))
    sizes = {"change_pp_at_least": 100.0 * difference, "ratio_at_least": _ratio(high, low),
             "h_at_least": h}
    strength = None
    for band in rule["bands"]:
        if p < band["p_below"] and all(sizes[s] >= band[s] for s in _SIZES if s in band):
            strength = band["strength"]
    return YearJudgement(rule["id"], year, count, total, share, base_years, base_count,
                         base_total, base_share, 100.0 * (share - base_share),
                         _ratio(share, base_share), h, z, p, phi, strength, phi_note)


def _ratio(high: float, low: float) -> float:
    return high / low if low > 0 else (math.inf if high > 0 else 1.0)


def _phi_text(run: Sequence[YearJudgement]) -> str:
    """The dispersion the run's test used: one value, or each year's when they differ."""
    shown = [("not estimable, 1 used" if j.note == _NO_PHI else f"{j.phi:.2f}") for j in run]
    if len(set(shown)) == 1:
        return f" (phi {shown[0]})"
    return " (phi " + "; ".join(f"{j.year}: {text}" for j, text in zip(run, shown, strict=True)) \
        + ")"


def _percent(count: int, total: int) -> str:
    return f"{show_number(count)}/{show_number(total)} = {100.0 * count / total:.2f}%"


def _p(value: float) -> str:
    return f"{value:.2g}" if value >= 1e-4 else "<0.0001"


def _span(years: Sequence[int]) -> str:
    return f"{years[0]}-{years[-1]}" if years else "none"


def _band_text(band: Mapping[str, Any]) -> str:
    names = {"change_pp_at_least": "change >= {} pp", "ratio_at_least": "ratio >= {}",
             "h_at_least": "h >= {}"}
    parts = [names[s].format(show_number(float(band[s]))) for s in _SIZES if s in band]
    return f"{band['strength']} ({', '.join(parts)}, p < {band['p_below']})"


def _query(rule: Mapping[str, Any]) -> str:
    measure = rule["measure"]
    of = measure.get("of")
    denominator = "all events" if of is None or set(of) == set(QUAD_CLASSES) else \
        " + ".join(of)
    return (f"{measure['source']}->{measure['target']} "
            f"({' + '.join(measure['share_of'])}) / {denominator}")


def _item(rule: Mapping[str, Any], run: Sequence[YearJudgement], *, key: str, data_file: str,
          rules_name: str, test: str) -> dict[str, Any]:
    first, last = run[0].year, run[-1].year
    base = run[0]
    same_base = all(j.baseline_years == base.baseline_years for j in run)
    shown = "; ".join(
        f"{j.year}: {_percent(j.count, j.total)}"
        + ("" if same_base else f" vs {_span(j.baseline_years)} "
           f"{_percent(j.baseline_count, j.baseline_total)}")
        + f" ({j.change_pp:+.2f} pp, x{j.ratio:.2f}, h {j.h:.2f}, z {j.z:.2f}, p {_p(j.p or 0)})"
        for j in run if j.change_pp is not None and j.ratio is not None and j.h is not None
        and j.z is not None)
    baseline = (f"baseline {_span(base.baseline_years)}: "
                f"{_percent(base.baseline_count, base.baseline_total)}; " if same_base else "")
    band = next(b for b in reversed(rule["bands"]) if b["strength"] == run[0].strength)
    when = f"year {first}" if first == last else f"years {first}-{last}"
    return evidence_item(
        rule, prefix="events", first=first, last=last,
        summary=f" ({rule['change']}): {baseline}{shown} (band: {_band_text(band)}).",
        strength=band["strength"],
        citation={"key": key, "locator": f"{data_file}: {_query(rule)}; {when}; "
                                         f"baseline {_span(base.baseline_years)}"},
        fired=f"({rules_name}) fired: {_band_text(band)}, {test}")


def _check_roots(spec: Mapping[str, Any], frame: Any, path: Path, data_file: str) -> None:
    """A located problem for every CAMEO root a rule names when the table has none."""
    if "cameo_01" in frame.columns:
        return
    located = load_rules_file(path, RULES_SCHEMA)
    problems = []
    for index, rule in enumerate(spec["rules"]):
        for part in ("share_of", "of"):
            for position, name in enumerate(rule["measure"].get(part, ())):
                if name in CAMEO_ROOTS and rule.get("enabled", True):
                    field = ("rules", index, "measure", part, position)
                    problems.append(Problem(
                        str(path), located.line(field),
                        f"rules[{index}].measure.{part}[{position}]", repr(name),
                        f"a quad class ({', '.join(QUAD_CLASSES)}): {data_file} has quad-class "
                        "counts only, no CAMEO roots"))
    if problems:
        raise RulesFileError(str(path), problems)


def _years_text(years: Sequence[int]) -> str:
    """``2010-2012, 2014``: years as runs."""
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in consecutive_runs(years))


def _why_not(rule: Mapping[str, Any], ruled: Sequence[YearJudgement],
             series: Mapping[int, tuple[int, int]], span: tuple[int, int],
             coverage: tuple[int, int], data_file: str, baseline: Mapping[str, Any]) -> str:
    """Why a rule fired in no year: no data, too few events, an effect too small for its
    weakest band, or a change not significant -- each with the years it applies to."""
    measure = rule["measure"]
    if not series:
        return f"no {measure['source']}->{measure['target']} events in {data_file}"
    weakest = rule["bands"][0]
    direction = 1.0 if rule["change"] == "rising" else -1.0
    labels = {"change_pp_at_least": "change", "ratio_at_least": "ratio", "h_at_least": "h"}
    window = (f"baseline {baseline['years'][0]}-{baseline['years'][1]}" if "years" in baseline
              else "baseline")
    reasons: dict[str, list[int]] = {}
    for judgement in ruled:
        if judgement.p is None or judgement.share is None or judgement.baseline_share is None:
            reason = judgement.note.split(" (")[0].replace("baseline", window, 1)
            reason = reason.replace(" this year", "")
        else:
            high, low = ((judgement.share, judgement.baseline_share) if direction > 0
                         else (judgement.baseline_share, judgement.share))
            sizes = {"change_pp_at_least": 100.0 * (high - low),
                     "ratio_at_least": _ratio(high, low), "h_at_least": judgement.h or 0.0}
            small = [f"{labels[s]} below {show_number(float(weakest[s]))}" for s in _SIZES
                     if s in weakest and sizes[s] < weakest[s]]
            if small:
                reason = f"effect too small for {weakest['strength']} ({', '.join(small)})"
            else:
                reason = f"not significant (p not below {weakest['p_below']})"
        reasons.setdefault(reason, []).append(judgement.year)
    parts = [f"{reason} in {_years_text(years)}" for reason, years in reasons.items()]
    if span[0] > span[1]:
        parts.append("no year to judge")
    early_baseline = "years" in baseline and baseline["years"][0] < coverage[0]
    if span[0] < coverage[0] or span[1] > coverage[1] or early_baseline:
        parts.append(f"the data cover {coverage[0]}-{coverage[1]}; the rule judges "
                     f"{span[0]}-{span[1]}" + (f" against a {window}" if early_baseline
                                                else ""))
    return "; ".join(parts)


def _filled_rules(spec: Mapping[str, Any], roles: Mapping[str, Sequence[EventActor]],
                  case: Case | None) -> list[dict[str, Any]]:
    """Every rule with its ``{role}`` placeholders filled, once per actor (combination) of the
    roles it names; measures get the actors' data codes, everything else their ids."""
    out: list[dict[str, Any]] = []
    for raw in spec["rules"]:
        used = sorted(placeholder_roles(raw))
        filled = []
        for combination in itertools.product(*(roles[r] for r in used)):
            chosen = dict(zip(used, combination, strict=True))
            rule = fill_roles(raw, {r: (a.id, a.name) for r, a in chosen.items()}, raw["id"])
            rule["measure"] = fill_roles(raw["measure"],
                                         {r: (a.code, a.name) for r, a in chosen.items()},
                                         raw["id"])
            if case is not None:  # overlaps name core items: keep only the case's own
                ids = {e.id for e in case.evidence}
                rule["overlaps"] = [i for i in rule.get("overlaps", ()) if i in ids]
            filled.append(rule)
        ids = [r["id"] for r in filled]
        if len(set(ids)) < len(ids):
            several = {r: ", ".join(a.id for a in roles[r]) for r in used if len(roles[r]) > 1}
            raise InputError(
                f"rule {raw['id']}: found several actors for "
                + "; ".join(f"{r} ({who})" for r, who in several.items())
                + " and an id that does not tell their items apart; expected one actor: give "
                "--country ISO3 (rising) or --partner ISO3 (established), or put the role in "
                "the rule's id")
        out += filled
    seen: set[str] = set()
    for rule in out:
        if rule["id"] in seen:
            raise InputError(f"rules: found the id {rule['id']!r} twice once the roles are "
                             "filled; expected ids unique among the rules")
        seen.add(rule["id"])
    return out


def _check_actors(rules: Sequence[Mapping[str, Any]], case: Case) -> None:
    """Every enabled rule's items must be about an actor of ``case`` (else its layer would not
    load with the case)."""
    actors = {a.id for a in case.actors}
    for rule in rules:
        actor = rule["evidence"]["actor"]
        if rule.get("enabled", True) and actor not in actors:
            raise InputError(
                f"rule {rule['id']}: found evidence about {actor!r}, not an actor of case "
                f"{case.id} ({', '.join(sorted(actors))}); expected an actor of the case: "
                "write the rule's actor as a role ({rising}), add the actor to the case, or "
                "choose another --country")


def evidence_from_events(rules: str | Path | None = None, *,
                         dyads: str | Path | None = None,
                         aggregate: str | Path | None = None,
                         years: tuple[int, int] | None = None,
                         case: Case | None = None, country: str | None = None,
                         partner: str | None = None) -> EventEvidenceLayer:
    """Apply baseline-change rules to directed dyad-year event counts.

    Parameters
    ----------
    rules
        A rules file (default: :func:`default_event_rules_path`).
    dyads
        Dyad-year counts in the netify/ICEWS layout (default: the shipped ICEWS counts);
        dataset id ``icews-netify``.
    aggregate
        Instead, an aggregate table of ``multilat events aggregate`` (CSV or Parquet); dataset
        id ``events-aggregate``, whose bibliography key the rules' ``datasets`` must give.
    years
        Inclusive years to judge; default: the case's span, else the rules file's ``years``,
        else every year of the data. Baselines may use years outside them, and a
        ``before_span`` baseline stays anchored on the span (not on ``years``).
    case
        Whose evidence it is: ``{role}`` and ``{role.name}`` in the rules stand for that
        case's actors of the role (one item per actor when a role has several; default: the
        rules file's ``roles:``), and the span is the case's.
    country, partner
        ISO3 codes replacing the rising power (``{rising}``) and the established power
        (``{established}``).

    Returns
    -------
    EventEvidenceLayer
        ``to_yaml()`` is a valid evidence file (``schema_version: 1``); ``summary()`` lists
        every year's values, which rules fired and why the others did not.

    Raises
    ------
    RulesFileError
        An invalid rules file, or CAMEO roots named for a table that has none (located).
    CaseFileError
        A case actor the rules need that the event data cannot name (located).
    DataSourceError
        An unreadable data file (file, row, column).
    InputError
        Both ``dyads`` and ``aggregate``, no bibliography key for the dataset, an unknown
        ``country``/``partner``, or several actors for a role with ids that do not differ.
    """
    if dyads is not None and aggregate is not None:
        raise InputError("give dyad-year counts or an event aggregate table, not both")
    path = Path(rules) if rules is not None else default_event_rules_path()
    spec = load_event_rules(path)
    needed = placeholder_roles(spec["rules"])
    for given, role, option in ((country, "rising", "--country"),
                                (partner, "established", "--partner")):
        if given is not None and role not in needed:
            raise InputError(f"{option} {given}: found no {{{role}}} in the rules of {path}; "
                             f"expected rules written in terms of roles ({option} replaces "
                             f"the {role} power's {{{role}}})")
    roles = event_roles(needed, case=case, defaults=spec.get("roles"), country=country,
                        partner=partner)
    filled = _filled_rules(spec, roles, case)
    if case is not None:
        _check_actors(filled, case)
    if aggregate is not None:
        data_path, dataset = Path(aggregate), "events-aggregate"
        frame = read_event_aggregate(data_path)
    else:
        data_path = Path(dyads) if dyads is not None else builtin_dyads_path()
        dataset = "icews-netify"
        frame = read_dyad_years(data_path)
    data_file = data_path.name
    _check_roots(spec, frame, path, data_file)
    datasets = {**DEFAULT_DATASETS, **spec.get("datasets", {})}
    if dataset not in datasets:
        raise InputError(f"{path}: datasets has no bibliography key for {dataset!r}; add "
                         f"e.g. `datasets: {{{dataset}: my_key}}` (the key of your data in the "
                         "case's bibliography)")
    key = datasets[dataset]
    # The readers refuse tables without rows, so the data have a first and a last year.
    first_year, last_year = int(frame["year"].min()), int(frame["year"].max())
    # The span a ``before_span`` baseline is anchored on: the case's, else the rules file's;
    # ``years`` (or the case's span) then says which years are judged.
    anchor = (case.start, case.end) if case is not None else \
        tuple(spec.get("years", (first_year, last_year)))
    default_span = years or anchor
    narrow = years or (anchor if case is not None else None)
    firings: list[EventRuleFiring] = []
    judgements: list[YearJudgement] = []
    skipped: list[str] = []
    silent: list[tuple[str, str]] = []
    for rule in filled:
        if not rule.get("enabled", True):
            skipped.append(rule["id"])
            continue
        measure = rule["measure"]
        series = dyad_shares(frame, measure["source"], measure["target"], measure["share_of"],
                             measure.get("of", QUAD_CLASSES))
        span = tuple(int(y) for y in rule.get("years", default_span))
        baseline = dict(rule.get("baseline", spec["baseline"]))
        if "before_span" in baseline:
            start = int(rule.get("years", anchor)[0])
            baseline = {"years": [start - int(baseline["before_span"]), start - 1]}
        if narrow is not None:
            span = (max(span[0], narrow[0]), min(span[1], narrow[1]))
        skip = set(rule.get("skip_years", ()))
        min_events = int(rule.get("min_events", spec.get("min_events", 1)))
        overdispersion = bool(spec.get("overdispersion", True))
        test = ("one-sided two-proportion z-test against the pooled baseline"
                + (", variance x baseline dispersion" if overdispersion else ""))
        ruled = [_judge(rule, y, series, baseline, min_events, overdispersion)
                 for y in range(span[0], span[1] + 1)
                 if y not in skip and (y in series or y <= last_year)]
        judgements += ruled
        by_year = {j.year: j for j in ruled}
        fired_any = False
        for strength in STRENGTHS:
            fired = [j.year for j in ruled if j.strength == strength]
            for first, last in consecutive_runs(fired, skip):
                fired_any = True
                run = [by_year[y] for y in range(first, last + 1) if y in fired]
                firings.append(EventRuleFiring(
                    rule["id"], first, last, strength, tuple(run),
                    _item(rule, run, key=key, data_file=data_file, rules_name=path.name,
                          test=test + (_phi_text(run) if overdispersion else ""))))
        if not fired_any:
            silent.append((rule["id"], _why_not(rule, ruled, series, (span[0], span[1]),
                                                (first_year, last_year), data_file,
                                                baseline)))
    order = [r["id"] for r in filled]
    firings.sort(key=lambda f: (order.index(f.rule), f.start))
    return EventEvidenceLayer(spec["layer"], " ".join(spec.get("description", "").split()),
                              path.name, dataset, data_file, tuple(firings), tuple(judgements),
                              tuple(skipped), tuple(silent))


def write_event_evidence_file(layer: EventEvidenceLayer, path: str | Path) -> Path | None:
    """Write ``layer`` as an evidence file, atomically; an existing file is backed up first.

    Returns the backup's path, if one was made.
    """
    return atomic_write_text(path, layer.to_yaml())
