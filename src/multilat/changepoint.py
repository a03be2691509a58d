"""When did a variable (or the observed strategy) switch? An exact change-point posterior.

Model. The variable holds one level in every year before the change year ``t`` and another
level from ``t`` on (for the strategy, any ordered pair of distinct levels); "no change" means
one level throughout. With two changes (an option) it holds ``a`` before ``t1``, ``b`` from
``t1``, ``c`` from ``t2`` (``a != b != c``; ``c`` may equal ``a``). The evidence of year ``y``
has likelihood proportional to ``exp(E[y, l])`` if the level that year is ``l``, where
``E[y, l]`` is the summed log-likelihood ratio the year's items give level ``l``: the same
per-level scores the yearly beliefs use. The posterior over change years is then exact:

``P(t | evidence) ∝ P(t) · Σ_{a != b} P(a, b) · exp(Σ_{y < t} E[y, a] + Σ_{y >= t} E[y, b])``

computed with cumulative sums (linear in the number of years per level pair).

Counting items that span several years. The yearly beliefs count an item in every year it
covers; in a likelihood over the whole sequence that would count an item spanning six years
six times. By default (``counting="once"``) each item's weight is spread evenly over its
years, so across the whole sequence it counts exactly once, and a path that holds the item's
level in a share ``s`` of its years gets ``s`` times its log-likelihood ratio.
``counting="per_year"`` uses the yearly contributions as they are (each item counted once per
year it covers), which sharpens the posterior and weighs long-span items more.

References
----------
Fearnhead, P. (2006) 'Exact and efficient Bayesian inference for multiple changepoint
problems', *Statistics and Computing* 16, 203-213.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .analysis import Analysis
from .decision import Scope
from .errors import InputError

__all__ = ["ChangePosterior", "SwitchLag", "change_point", "switch_lag",
           "yearly_log_likelihoods"]

FloatArray = npt.NDArray[np.float64]
NO_CHANGE = "no_change"
COUNTINGS = ("once", "per_year")


def _logsumexp(values: FloatArray) -> float:
    if values.size == 0:
        return float("-inf")
    top = float(values.max())
    if top == float("-inf"):  # every term impossible (a level the evidence rules out)
        return top
    return top + float(np.log(np.exp(values - top).sum()))


def _target(analysis: Analysis, variable: str) -> tuple[int, str]:
    names = [name for name, _, _ in analysis.theory.targets]
    name = analysis.theory.target_of(variable)
    if name is None:
        choices = [*(v.name for v in analysis.theory.variables), analysis.theory.observed_name]
        raise InputError(f"variable: found {variable!r}; expected one of: {', '.join(choices)}")
    return names.index(name), name


def yearly_log_likelihoods(analysis: Analysis, variable: str,
                           counting: str = "once") -> FloatArray:
    """``E[year, level]``: the log-likelihood (up to a constant) of each year's evidence.

    ``counting="once"`` spreads each item's weight over the years it covers;
    ``"per_year"`` counts it fully in each (the yearly beliefs' convention).
    """
    if counting not in COUNTINGS:
        raise InputError(f"unknown counting {counting!r}; expected one of: {', '.join(COUNTINGS)}")
    target, name = _target(analysis, variable)
    # A level some item covering the year gives probability 0 is impossible that year (-inf),
    # however the item's finite weights are counted.
    ruled = analysis.beliefs[name].ruled_out(Scope.YEAR) > 0
    if counting == "per_year":
        contributions: FloatArray = analysis.beliefs[name].yearly_contributions.sum(axis=1)
        return np.where(ruled, -np.inf, contributions) if ruled.any() else contributions
    table = analysis.table
    chosen = table.target == target
    levels = len(analysis.beliefs[name].levels)
    n_years = len(analysis.years)
    start = table.start[chosen] - analysis.case.start
    stop = table.end[chosen] - analysis.case.start + 1
    matrix = table.width(levels)[0][chosen, :levels]
    # Every row spreads its weight vector over its years: entry (row, level) for each level.
    rows = np.repeat(np.arange(len(start)), levels)
    level = np.tile(np.arange(levels), len(start))
    share = matrix[rows, level] / (stop - start)[rows]
    size = (n_years + 1) * levels
    steps = (np.bincount(start[rows] * levels + level, share, size)
             - np.bincount(stop[rows] * levels + level, share, size))
    spread: FloatArray = np.cumsum(steps.reshape(n_years + 1, levels), axis=0)[:n_years]
    return np.where(ruled, -np.inf, spread) if ruled.any() else spread


@dataclass(frozen=True, slots=True)
class ChangePosterior:
    """The posterior over when ``variable`` switched (see the module docstring).

    ``posterior`` maps ``"no_change"``, a change year (``"2013"``) or, with two changes, a pair
    (``"2013+2016"``) to its probability; ``prior`` the same keys to theirs. ``transitions``
    gives, given a change, the probability of each path of levels (``"unfavorable->favorable"``).
    """

    variable: str
    levels: tuple[str, ...]
    years: tuple[int, ...]
    counting: str
    two_changes: bool
    prior: Mapping[str, float]
    posterior: Mapping[str, float]
    transitions: Mapping[str, float]
    level_prior: Mapping[str, float]
    assumptions: tuple[str, ...] = field(default=())

    @property
    def most_probable(self) -> str:
        return max(self.posterior, key=lambda k: self.posterior[k])

    @property
    def change_probability_by_year(self) -> dict[int, float]:
        """P(a change takes effect in year y), for every year but the first."""
        out = {year: 0.0 for year in self.years[1:]}
        for key, probability in self.posterior.items():
            if key != NO_CHANGE:
                for year in key.split("+"):
                    out[int(year)] += probability
        return out

    @property
    def most_probable_year(self) -> tuple[int, float]:
        by_year = self.change_probability_by_year
        year = max(by_year, key=lambda y: by_year[y])
        return year, by_year[year]

    def single_change_distribution(self) -> dict[int, float]:
        """P(change year = y | exactly one change), for lags (one-change model only)."""
        if self.two_changes:
            raise InputError("the lag is defined on the one-change model")
        total = 1.0 - self.posterior[NO_CHANGE]
        return {int(k): (v / total if total > 0 else 0.0)
                for k, v in self.posterior.items() if k != NO_CHANGE}

    @property
    def headline(self) -> str:
        """The key finding: the likeliest change year, or "no change" when that is likelier
        than a change in any one year."""
        year, probability = self.most_probable_year
        none = self.posterior[NO_CHANGE]
        if none >= probability:
            return (f"{self.variable}: most probably no change (P = {none:.3f}); the likeliest "
                    f"change year is {year} (P = {probability:.3f})")
        return (f"{self.variable}: most probable change {year} (P = {probability:.3f}); "
                f"P(no change) = {none:.3f}")

    def __str__(self) -> str:
        return f"{self.headline}; counting: {self.counting}"

    def __repr__(self) -> str:
        return f"<ChangePosterior {self.headline}>"

    def _repr_html_(self) -> str:
        from ._display import html_table

        rows = [("no change", f"{self.posterior[NO_CHANGE]:.3f}")]
        rows += [(str(y), f"{p:.3f}") for y, p in self.change_probability_by_year.items()]
        return html_table(self.headline, ("change in", "posterior"), rows)

    def to_dict(self) -> dict[str, Any]:
        year, probability = self.most_probable_year
        return {
            "variable": self.variable,
            "levels": list(self.levels),
            "model": "two changes" if self.two_changes else "one change",
            "counting": self.counting,
            # posterior and prior unrounded, so that each sums to 1 to float precision
            "prior": {"hypotheses": dict(self.prior),
                      "levels": {k: round(v, 6) for k, v in self.level_prior.items()},
                      "description": self.assumptions[0] if self.assumptions else ""},
            "posterior": dict(self.posterior),
            "most_probable": self.most_probable,
            "most_probable_year": year,
            "most_probable_year_probability": round(probability, 6),
            "change_probability_by_year": {str(k): round(v, 6)
                                           for k, v in self.change_probability_by_year.items()},
            "transitions": {k: round(v, 6) for k, v in self.transitions.items()},
            "assumptions": list(self.assumptions),
        }


def _hypothesis_prior(keys: list[str], two_changes: bool, no_change: float | None,
                      given: Mapping[str, float] | None) -> dict[str, float]:
    if given is not None:
        missing = [k for k in keys if k not in given]
        if missing or any(v < 0 for v in given.values()) or sum(given.values()) <= 0:
            raise InputError(f"a change-point prior needs a non-negative weight for each of "
                             f"{', '.join(keys)}; missing: {', '.join(missing) or 'none'}")
        total = sum(given[k] for k in keys)
        return {k: given[k] / total for k in keys}
    singles = [k for k in keys if k != NO_CHANGE and "+" not in k]
    doubles = [k for k in keys if "+" in k]
    if not two_changes:
        if no_change is None:
            return {k: 1.0 / len(keys) for k in keys}
        if not 0 < no_change < 1:
            raise InputError(f"the prior of no change must be in (0, 1); got {no_change}")
        return {NO_CHANGE: no_change, **{k: (1 - no_change) / len(singles) for k in singles}}
    classes = [group for group in (singles, doubles) if group]
    zero = 1 / (1 + len(classes)) if no_change is None else no_change
    rest = (1 - zero) / len(classes)
    return {NO_CHANGE: zero, **{k: rest / len(group) for group in classes for k in group}}


def change_point(analysis: Analysis, variable: str, *, two_changes: bool = False,
                 counting: str = "once", no_change_prior: float | None = None,
                 prior: Mapping[str, float] | None = None) -> ChangePosterior:
    """The posterior over the year ``variable`` switched, plus "no change".

    Parameters
    ----------
    analysis
        From :func:`multilat.analyze`.
    variable
        A theory variable, or the theory's ``observed_name`` (``observed_`` + the outcome's
        name, e.g. ``"observed_strategy"``) for the outcome's weighed beliefs.
    two_changes
        Also allow two changes (prior: 1/3 each on zero, one and two changes, uniform within).
    counting
        ``"once"`` (default: each item counts once over the sequence) or ``"per_year"``.
    no_change_prior
        Prior probability of no change (default: uniform over all hypotheses, or 1/3 with two
        changes).
    prior
        Explicit prior weights for every hypothesis key (overrides ``no_change_prior``).

    Raises
    ------
    InputError
        For an unknown variable, counting or prior, or a case of a single year.
    """
    target, name = _target(analysis, variable)
    beliefs = analysis.beliefs[name]
    years = analysis.years
    if len(years) < 2:
        raise InputError("dating a change needs at least two years")
    likelihood = yearly_log_likelihoods(analysis, variable, counting)
    impossible = np.isneginf(likelihood)
    cumulative = np.vstack([np.zeros(likelihood.shape[1]),
                            np.cumsum(np.where(impossible, 0.0, likelihood), axis=0)])
    blocked = np.vstack([np.zeros(likelihood.shape[1], np.int64),
                         np.cumsum(impossible, axis=0)])
    n_years, k = len(years), len(beliefs.levels)
    level_prior = np.exp(beliefs.prior)
    level_prior = level_prior / level_prior.sum()
    log_level = np.log(level_prior)
    pair_mask = ~np.eye(k, dtype=bool)
    pair_prior = np.where(pair_mask, log_level[:, None] + log_level[None, :], -np.inf)
    pair_prior = pair_prior - _logsumexp(pair_prior[pair_mask])
    paths = [(a, b, c) for a, b, c in itertools.product(range(k), repeat=3) if a != b != c]
    path_prior = np.array([log_level[a] + log_level[b] + log_level[c] for a, b, c in paths])
    path_prior = path_prior - _logsumexp(path_prior)

    def segment(first: int, last: int) -> FloatArray:  # summed E over year rows first..last-1
        summed = cumulative[last] - cumulative[first]
        return np.where(blocked[last] - blocked[first] > 0, -np.inf,  # type: ignore[no-any-return]
                        summed)

    log_like: dict[str, float] = {NO_CHANGE: _logsumexp(log_level + segment(0, n_years))}
    pair_like: dict[str, FloatArray] = {}
    for t in range(1, n_years):
        terms = pair_prior + segment(0, t)[:, None] + segment(t, n_years)[None, :]
        log_like[str(years[t])] = _logsumexp(terms[pair_mask])
        pair_like[str(years[t])] = terms
    path_like: dict[str, FloatArray] = {}
    if two_changes:
        for t1, t2 in itertools.combinations(range(1, n_years), 2):
            first, second, third = segment(0, t1), segment(t1, t2), segment(t2, n_years)
            terms = path_prior + np.array([first[a] + second[b] + third[c] for a, b, c in paths])
            key = f"{years[t1]}+{years[t2]}"
            log_like[key] = _logsumexp(terms)
            path_like[key] = terms
    keys = list(log_like)
    hypothesis_prior = _hypothesis_prior(keys, two_changes, no_change_prior, prior)
    with np.errstate(divide="ignore"):
        log_post = np.array([np.log(hypothesis_prior[key]) + log_like[key] for key in keys])
    posterior = np.exp(log_post - _logsumexp(log_post))
    posterior = posterior / posterior.sum()
    result = dict(zip(keys, posterior.tolist(), strict=True))

    transitions: dict[str, float] = {}
    levels = beliefs.levels
    for key, terms in pair_like.items():
        if log_like[key] == float("-inf"):
            continue  # the evidence makes this change year impossible
        within = np.exp(terms - _logsumexp(terms[pair_mask]))
        for a, b in zip(*np.nonzero(pair_mask), strict=True):
            label = f"{levels[a]}->{levels[b]}"
            transitions[label] = transitions.get(label, 0.0) + result[key] * float(within[a, b])
    for key, terms in path_like.items():
        if log_like[key] == float("-inf"):
            continue
        within = np.exp(terms - _logsumexp(terms))
        for (a, b, c), share in zip(paths, within, strict=True):
            label = f"{levels[a]}->{levels[b]}->{levels[c]}"
            transitions[label] = transitions.get(label, 0.0) + result[key] * float(share)
    changed = 1.0 - result[NO_CHANGE]
    transitions = {k: (v / changed if changed > 0 else 0.0) for k, v in transitions.items()}

    prior_text = ("uniform over 'no change' and each change year" if prior is None
                  and no_change_prior is None and not two_changes else
                  "as given" if prior is not None else
                  f"P(no change) = {hypothesis_prior[NO_CHANGE]:.3g}, the rest uniform "
                  + ("within one and within two changes" if two_changes else "over change years"))
    assumptions = (
        f"Prior over hypotheses: {prior_text}.",
        "Prior over levels: the case's prior for the variable (uniform unless the case gives "
        "one), restricted to distinct levels on each side of a change.",
        "A change in year t means the new level holds from t on; years have no carry-over "
        "beyond the piecewise-constant path.",
        "Each year's evidence has likelihood exp(E[year, level]) (items conditionally "
        "independent given the level; a k-level item's ratio is its level against all others).",
        ("Items spanning several years are counted once in total (weight spread evenly over "
         "their years)." if counting == "once" else
         "Items are counted once in every year they cover (as the yearly beliefs count them); "
         "an item spanning n years counts n times."),
    )
    return ChangePosterior(variable, levels, tuple(years), counting, two_changes,
                           hypothesis_prior, result, transitions,
                           dict(zip(levels, level_prior.tolist(), strict=True)), assumptions)


@dataclass(frozen=True, slots=True)
class SwitchLag:
    """The lag (effect's change year minus cause's), assuming the two are independent."""

    cause: str
    effect: str
    probability_both_change: float
    distribution: Mapping[int, float]

    @property
    def most_probable(self) -> int:
        return max(self.distribution, key=lambda d: self.distribution[d])

    @property
    def mean(self) -> float:
        return float(sum(d * p for d, p in self.distribution.items()))

    @property
    def probability_not_before(self) -> float:
        """P(lag >= 0): the effect does not switch before its cause."""
        return float(sum(p for d, p in self.distribution.items() if d >= 0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "cause": self.cause, "effect": self.effect,
            "definition": f"change year of {self.effect} minus change year of {self.cause}, "
                          "given both change once (in any direction)",
            "assumptions": ["The two change years are independent given the evidence (their "
                            "evidence items are distinct).",
                            "Each is dated by the one-change model, also when the two-change "
                            "model is asked for.",
                            "The direction of each switch is not conditioned on: see each "
                            "variable's transitions for how likely the expected direction is."],
            "probability_both_change": round(self.probability_both_change, 6),
            "distribution": {str(d): round(p, 6) for d, p in sorted(self.distribution.items())},
            "most_probable": self.most_probable,
            "mean": round(self.mean, 6),
            "probability_not_before": round(self.probability_not_before, 6),
        }


def switch_lag(cause: ChangePosterior, effect: ChangePosterior) -> SwitchLag:
    """The distribution of the lag between two one-change posteriors, assumed independent."""
    first, second = cause.single_change_distribution(), effect.single_change_distribution()
    distribution: dict[int, float] = {}
    for (a, p), (b, q) in itertools.product(first.items(), second.items()):
        distribution[b - a] = distribution.get(b - a, 0.0) + p * q
    both = (1 - cause.posterior[NO_CHANGE]) * (1 - effect.posterior[NO_CHANGE])
    return SwitchLag(cause.variable, effect.variable, both, dict(sorted(distribution.items())))
