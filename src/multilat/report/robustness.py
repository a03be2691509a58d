"""The report's robustness section, as plain data: checks, dated switches, rival theories.

Reads an :class:`~multilat.assessment.Assessment` (the checks, the dated switches of the
theory's first variable and of the observed outcome, and the comparison of the theory with
its other readings and the case's rivals, each computed once). Everything is rounded and
ordered here, so the templates only loop, and the same analysis gives the same text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis import Analysis
from ..assessment import Assessment, assess
from ..changepoint import ChangePosterior, SwitchLag
from ..checks import CheckResult, ConclusionRobustness, LeaveOneOut, RobustnessReport
from ..compare import TheoryComparison
from .content import ResultTable, evidence_anchor, human

__all__ = ["ChangeYears", "FragileConclusion", "Influence", "RobustnessSection", "TheoryRow",
           "robustness_section"]

#: How many items the tornado plot shows.
TORNADO_ITEMS = 12
_MARKS = {True: ("+", "hit"), False: ("x", "miss"), None: ("·", "none")}


@dataclass(frozen=True, slots=True)
class Influence:
    """One item's largest leave-one-out effect: on which conclusion, and by how much."""

    id: str
    anchor: str
    summary: str
    conclusion: str
    level: str
    probability_with: float
    probability_without: float
    flips: bool

    @property
    def change(self) -> float:
        return self.probability_without - self.probability_with


@dataclass(frozen=True, slots=True)
class FragileConclusion:
    """A conclusion that leaving out one item flips: its pivotal items and smallest flip set."""

    conclusion: str
    level: str
    probability: str
    pivotal: tuple[tuple[str, str], ...]
    flip_set: tuple[tuple[str, str], ...]
    flip_size: str
    flip_to: str
    flip_method: str


@dataclass(frozen=True, slots=True)
class ChangeYears:
    """One variable's change-year posterior, formatted, with its prior and most probable year."""

    variable: str
    keys: tuple[str, ...]
    prior: tuple[float, ...]
    posterior: tuple[float, ...]
    most_probable_year: int
    most_probable_probability: float
    no_change: float
    transitions: tuple[tuple[str, str], ...]
    prior_text: str


@dataclass(frozen=True, slots=True)
class TheoryRow:
    """One theory in the comparison: fit, log Bayes factor, hits, misses, per-year marks."""

    name: str
    title: str
    fit: str
    log_bayes_factor: str
    hits: int
    misses: int
    strip: tuple[tuple[str, str, str], ...]  # (mark, css class, tooltip) per year
    reference: bool


@dataclass(frozen=True, slots=True)
class RobustnessSection:
    """Everything the report's robustness section shows."""

    report: RobustnessReport
    influences: tuple[Influence, ...]
    survive: int
    fragile: tuple[FragileConclusion, ...]
    checks: tuple[CheckResult, ...]
    change_years: tuple[ChangeYears, ...]
    change_table: ResultTable | None
    change_note: str
    lag: SwitchLag | None
    lag_text: str
    comparison: TheoryComparison | None
    theory_rows: tuple[TheoryRow, ...]
    theory_table: ResultTable | None
    theory_years: tuple[int, ...]
    theory_note: str
    skipped_theories: tuple[str, ...]


def conclusion_label(variable: str, scope: str, at: int | str) -> str:
    """``balance of outside options, 2013`` or ``observed strategy, period p2``."""
    return f"{human(variable)}, {'' if scope == 'year' else 'period '}{at}"


def _influences(analysis: Analysis, result: LeaveOneOut, limit: int) -> tuple[Influence, ...]:
    """Per item, its largest effect (a flip first); every pivotal item, then the largest."""
    change = result.after - result.before
    # Each item's first pair in the order (flips first, then |change|, then pair): its best.
    order = np.lexsort((np.arange(len(change)), -np.abs(change), ~result.flips))
    _, first = np.unique(result.item[order], return_index=True)
    pairs = order[first]
    flips, size = result.flips[pairs], np.abs(change[pairs])
    # The items ranked by (not flips, -|change|, id): only those that can be in the first
    # ``limit`` (ties of the last one included) are sorted with their ids.
    by_key = np.lexsort((-size, ~flips))
    if len(by_key) > limit > 0:
        last = by_key[limit - 1]
        tied = np.flatnonzero((flips == flips[last]) & (size == size[last]))
        candidates = np.union1d(by_key[:limit], tied)
    else:
        candidates = by_key
    best = [(int(result.item[pairs[c]]), int(pairs[c])) for c in candidates.tolist()]
    ranked = sorted(best, key=lambda kv: (not result.flips[kv[1]], -abs(change[kv[1]]),
                                          result.ids[kv[0]]))
    chosen = sorted(ranked[:limit], key=lambda kv: (-abs(change[kv[1]]), result.ids[kv[0]]))
    wanted = {result.ids[item] for item, _ in chosen}
    summaries = {e.id: e.summary for e in analysis.case.evidence if e.id in wanted}
    out = []
    for item, pair in chosen:
        variable, scope, at = result.keys[int(result.conclusion[pair])]
        identifier = result.ids[item]
        out.append(Influence(identifier, evidence_anchor(identifier),
                             summaries.get(identifier, ""), conclusion_label(variable, scope, at),
                             human(str(result.levels[int(result.conclusion[pair])])),
                             float(result.before[pair]), float(result.after[pair]),
                             bool(result.flips[pair])))
    return tuple(out)


def _linked(ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((i, evidence_anchor(i)) for i in ids)


def _fragile(conclusion: ConclusionRobustness) -> FragileConclusion:
    flip = conclusion.flip_set
    size = str(flip.size) if flip and flip.size else "none"
    return FragileConclusion(
        conclusion_label(conclusion.variable, conclusion.scope, conclusion.at),
        human(conclusion.level), f"{conclusion.probability:.2f}", _linked(conclusion.pivotal),
        _linked(flip.ids if flip else ()), size,
        human(flip.to) if flip and flip.to else "a tie" if flip and flip.ids else "-",
        ("exact" if flip.exact else "greedy, an upper bound") if flip and flip.ids else "-")


def _change_years(posterior: ChangePosterior) -> ChangeYears:
    keys = tuple(posterior.posterior)
    year, probability = posterior.most_probable_year
    transitions = sorted(posterior.transitions.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return ChangeYears(
        posterior.variable, keys, tuple(float(posterior.prior[k]) for k in keys),
        tuple(float(posterior.posterior[k]) for k in keys), year, probability,
        float(posterior.posterior["no_change"]),
        tuple((human(k).replace("->", " → "), f"{v:.2f}") for k, v in transitions),
        posterior.assumptions[0] if posterior.assumptions else "")


def _change_table(dated: tuple[ChangeYears, ...]) -> ResultTable:
    columns = ["change year"]
    for item in dated:
        columns += [f"prior ({human(item.variable)})", f"P({human(item.variable)})"]
    rows = []
    for index, key in enumerate(dated[0].keys):
        cells = ["no change" if key == "no_change" else key]
        for item in dated:
            cells += [f"{item.prior[index]:.3f}", f"{item.posterior[index]:.3f}"]
        rows.append(tuple(cells))
    return ResultTable("When did it change? Posterior over the change year", tuple(columns),
                       tuple(rows))


def _lag_text(lag: SwitchLag | None) -> str:
    if lag is None:
        return ""
    spread = ", ".join(f"{d:+d}: {p:.2f}" for d, p in lag.distribution.items() if p >= 0.05)
    return (f"Lag of the switch of the {human(lag.effect)} behind that of the "
            f"{human(lag.cause)} (change year of the first minus that of the second, given "
            f"both change once, P = {lag.probability_both_change:.2f}; the two dated "
            f"independently): most probably {lag.most_probable:+d} years, mean "
            f"{lag.mean:+.2f}; P(the {human(lag.effect)} does not switch first) = "
            f"{lag.probability_not_before:.2f}. Lags with P ≥ 0.05: {spread or 'none'}.")


def _theory_rows(comparison: TheoryComparison) -> tuple[TheoryRow, ...]:
    rows = []
    for fit in comparison.theories:
        strip = []
        for year, predicted, observed, hit in zip(fit.years, fit.predicted, fit.observed,
                                                  fit.hit, strict=True):
            mark, css = _MARKS[hit]
            strip.append((mark, css, f"{year}: predicted {human(predicted or 'tie')}, "
                                     f"observed {human(observed or 'tie')}"))
        rows.append(TheoryRow(fit.name, fit.title, f"{fit.fit:+.2f}",
                              f"{fit.log_bayes_factor:+.2f}", fit.hits, fit.misses,
                              tuple(strip), fit.name == comparison.reference))
    return tuple(rows)


def _theory_table(rows: tuple[TheoryRow, ...], reference: str, years: tuple[int, ...]
                  ) -> ResultTable:
    span = f"{years[0]}-{years[-1]}" if years else ""
    return ResultTable(
        f"Theories compared (log Bayes factor against {reference})",
        ("theory", "fit", "log BF", "hits", "misses", f"years {span} (+ hit, x miss)"),
        tuple((r.name, r.fit, r.log_bayes_factor, str(r.hits), str(r.misses),
               "".join("." if m == "·" else m for m, _, _ in r.strip)) for r in rows))


def robustness_section(source: Analysis | Assessment, *, seed: int = 0,
                       tornado_items: int = TORNADO_ITEMS) -> RobustnessSection:
    """The report's robustness section, read from an :class:`~multilat.Assessment` (made
    here with the default checks when given an analysis); nothing is computed again."""
    assessment = source if isinstance(source, Assessment) else assess(source, seed=seed)
    analysis, report = assessment.analysis, assessment.robustness
    fragile = tuple(_fragile(c) for c in report.conclusions
                    if c.survives_leave_one_out is False)
    dated = tuple(_change_years(c) for c in assessment.switches)
    comparison, lag = assessment.comparison, assessment.lag
    rows = _theory_rows(comparison) if comparison else ()
    years = comparison.theories[0].years if comparison and comparison.theories else ()
    influences = (_influences(analysis, assessment.leave_one_out, tornado_items)
                  if assessment.leave_one_out is not None else ())
    return RobustnessSection(
        report, influences,
        len(report.conclusions) - len(fragile), fragile, report.checks, dated,
        _change_table(dated) if dated else None, assessment.switch_note, lag, _lag_text(lag),
        comparison, rows,
        _theory_table(rows, comparison.reference, years) if comparison else None, years,
        assessment.comparison_note, assessment.skipped_theories)
