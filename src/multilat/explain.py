"""Why is a belief what it is? The items that moved it, from prior to posterior."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._display import html_table, short
from .analysis import Analysis
from .decision import Scope
from .errors import InputError

__all__ = ["Contribution", "Explanation", "explain_belief"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """One item's push on the log-odds of ``level`` against the reference level."""

    id: str
    weight: float
    side: str | None
    citation: str
    level: str
    summary: str
    running_total: float
    #: The levels of the pair (this level, the reference) the item gives probability 0.
    rules_out: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "weight": round(self.weight, 6), "side": self.side,
               "citation": self.citation, "level": self.level, "summary": self.summary,
               "running_total": round(self.running_total, 6)}
        if self.rules_out:
            out["rules_out"] = list(self.rules_out)
        return out


@dataclass(frozen=True, slots=True)
class Explanation:
    """The path from prior to posterior log-odds of each level against a reference level.

    For a two-level variable there is one path, for the first level against the second (e.g.
    favorable against unfavorable). For more levels there is one path per non-reference level.
    """

    variable: str
    year: int | None
    period: str | None
    reference: str
    levels: tuple[str, ...]
    prior_log_odds: dict[str, float]
    contributions: dict[str, tuple[Contribution, ...]]
    posterior_log_odds: dict[str, float]
    posterior: dict[str, float]
    by_side: dict[str, dict[str, float]]
    #: Levels some item gives probability 0 here (their log-odds above leave that out).
    ruled_out: tuple[str, ...] = ()

    def __repr__(self) -> str:
        where = f"year {self.year}" if self.year is not None else f"period {self.period}"
        items = sum(len(path) for path in self.contributions.values())
        posterior = ", ".join(f"{k} {v:.2f}" for k, v in self.posterior.items())
        return short(f"<Explanation of {self.variable} in {where}: {items} item(s); "
                     f"posterior {posterior}>")

    def _repr_html_(self) -> str:
        where = f"year {self.year}" if self.year is not None else f"period {self.period}"
        parts = []
        for level, path in self.contributions.items():
            rows = [(c.id, f"{c.weight:+.3f}", c.side or "", c.citation,
                     f"{c.running_total:+.3f}") for c in path]
            notes = [f"prior log-odds {self.prior_log_odds[level]:+.3f}; posterior log-odds "
                     f"{self.posterior_log_odds[level]:+.3f}"]
            parts.append(html_table(f"{self.variable} in {where}: {level} against "
                                    f"{self.reference}",
                                    ("item", "weight", "side", "citation", "running"), rows,
                                    notes))
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        where: dict[str, Any] = ({"year": self.year} if self.year is not None
                                 else {"period": self.period})
        compared = [level for level in self.levels if level != self.reference]
        out: dict[str, Any] = {"variable": self.variable, **where, "reference": self.reference}
        if len(compared) == 1:
            level = compared[0]
            out.update({
                "level": level,
                "prior_log_odds": round(self.prior_log_odds[level], 6),
                "contributions": [c.to_dict() for c in self.contributions[level]],
                "posterior_log_odds": round(self.posterior_log_odds[level], 6),
                "by_side": {k: round(v, 6) for k, v in self.by_side[level].items()},
            })
        else:
            out["per_level"] = {level: {
                "prior_log_odds": round(self.prior_log_odds[level], 6),
                "contributions": [c.to_dict() for c in self.contributions[level]],
                "posterior_log_odds": round(self.posterior_log_odds[level], 6),
                "by_side": {k: round(v, 6) for k, v in self.by_side[level].items()},
            } for level in compared}
        out["posterior"] = {k: round(v, 6) for k, v in self.posterior.items()}
        if self.ruled_out:
            out["ruled_out"] = list(self.ruled_out)
        return out


def explain_belief(analysis: Analysis, variable: str, *, year: int | None = None,
                   period: str | None = None) -> Explanation:
    """List every item that moved ``variable`` in ``year`` (or ``period``), largest first.

    Raises
    ------
    InputError
        For an unknown variable, a year outside the case or an unknown period.
    """
    names = [name for name, _, _ in analysis.theory.targets]
    target = analysis.theory.target_of(variable)
    if target is None:
        choices = [*names, analysis.theory.observed_name]
        raise InputError(f"variable: found {variable!r}; expected one of: {', '.join(choices)}")
    variable = target
    if (year is None) == (period is None):
        raise InputError("give exactly one of a year or a period")
    beliefs = analysis.beliefs[variable]
    if year is not None:
        if year not in analysis.years:
            where = (f"issue area {analysis.case.scope}'s span" if analysis.case.scope
                     else "the case's span")
            raise InputError(f"year: found {year}; expected a year of {where} "
                             f"{analysis.case.start}-{analysis.case.end}")
        row = analysis.years.index(year)
        posterior_row = beliefs.yearly[row]
        touches = (analysis.table.start <= year) & (analysis.table.end >= year)
    else:
        ids = [p.id for p in analysis.case.periods]
        if period not in ids:
            raise InputError(f"period: found {period!r}; expected one of: {', '.join(ids)}"
                             + (f" (the periods of issue area {analysis.case.scope})"
                                if analysis.case.scope else ""))
        chosen = analysis.case.periods[ids.index(str(period))]
        row = ids.index(str(period))
        posterior_row = beliefs.periods[row]
        touches = (analysis.table.start <= chosen.end) & (analysis.table.end >= chosen.start)
    target = names.index(variable)
    table = analysis.table
    rows = np.flatnonzero(touches & (table.target == target))
    evidence = {e.id: e for e in analysis.case.evidence}
    groups = {g.id: g for g in analysis.case.groups}
    reference = beliefs.levels[-1]
    ref_index = len(beliefs.levels) - 1
    sides = table.side
    side_names = beliefs.side_names
    matrix, impossible = table.width(len(beliefs.levels))
    scope = Scope.YEAR if year is not None else Scope.PERIOD
    priors = beliefs.priors(scope)[row]
    finite = beliefs.finite_scores(scope)[row]
    prior_odds, contributions, posterior_odds, by_side = {}, {}, {}, {}
    for index, level in enumerate(beliefs.levels[:-1]):
        prior = float(priors[index] - priors[ref_index])
        items = []
        for r in rows:
            # The item's push on the log-odds of this level against the reference; a level
            # it rules out is named, its finite part still counted.
            weight = float(matrix[r, index] - matrix[r, ref_index])
            rules_out = tuple(beliefs.levels[i] for i in (index, ref_index)
                              if impossible[r, i])
            if weight == 0 and not rules_out and int(table.level[r]) not in (index, ref_index):
                continue
            item_id = table.ids[r]
            first = evidence[table.members[r][0]]
            summary = (groups[item_id].rationale if item_id in groups else first.summary)
            citation = "; ".join(str(evidence[m].citation) for m in table.members[r])
            items.append((weight, item_id, citation, beliefs.levels[int(table.level[r])],
                          summary, side_names[int(sides[r])] if sides[r] >= 0 else None,
                          rules_out))
        items.sort(key=lambda x: (-abs(x[0]), x[1]))
        total = prior
        path = []
        for weight, item_id, citation, pointed, summary, side, rules_out in items:
            total += weight
            path.append(Contribution(item_id, weight, side, citation, pointed, summary, total,
                                     rules_out))
        prior_odds[level] = prior
        contributions[level] = tuple(path)
        posterior_odds[level] = float(finite[index] - finite[ref_index])
        sums: dict[str, float] = {}
        for weight, _, _, _, _, side, _ in items:
            key = side or "none"
            sums[key] = sums.get(key, 0.0) + weight
        by_side[level] = sums
    return Explanation(variable, year, period, reference, beliefs.levels, prior_odds,
                       contributions, posterior_odds,
                       {lv: float(p) for lv, p in zip(beliefs.levels, posterior_row, strict=True)},
                       by_side, tuple(lv for lv, n in zip(beliefs.levels,
                                                          beliefs.ruled_out(scope)[row],
                                                          strict=True) if n > 0))
