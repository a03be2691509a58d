"""Which theory fits the observed strategy best? Marginal likelihoods and hits per year.

Each theory predicts, for each year, a distribution over the strategy from the evidence on its
own variables (its rule table applied to their beliefs). The evidence on the strategy itself
(the *observed* strategy) is the same for every theory that shares the outcome. A theory's fit
is the log marginal likelihood of that observed-strategy evidence under its predictions:

``fit(T) = Σ_years log Σ_s P_T(s | year) · exp(E[year, s])  -  the same with P(s) = 1/3``

where ``E[year, s]`` is the summed log-likelihood ratio of the year's strategy items for ``s``.
Subtracting the uniform prediction makes 0 mean "no better than a theory that predicts every
strategy equally likely"; the difference of two fits is a log Bayes factor.

References
----------
Kass, R. E. and Raftery, A. E. (1995) 'Bayes Factors', *Journal of the American Statistical
Association* 90(430), 773-795.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .analysis import Analysis, analyze
from .case.model import Case
from .changepoint import yearly_log_likelihoods
from .checks import decided_level
from .errors import InputError
from .predict import predict_from_beliefs
from .settings import Settings
from .theory import Theory, resolve_theory

__all__ = ["TheoryComparison", "TheoryFit", "compare_theories", "default_theories"]

FloatArray = npt.NDArray[np.float64]

ASSUMPTIONS = (
    "Every theory is scored on the same evidence on the observed outcome; each theory's "
    "prediction uses only the evidence on its own variables (the two sets of items are "
    "distinct).",
    "The years are independent given each year's predicted distribution; a year's evidence "
    "has likelihood exp(E[year, outcome]) (items conditionally independent).",
    "Fit is the log marginal likelihood relative to a uniform prediction (0 = no better than "
    "chance); differences between fits are log Bayes factors. Theories get equal prior odds.",
    "A hit is a year where the most probable predicted and observed outcomes agree; years "
    "where either is a tie are not scored.",
)


@dataclass(frozen=True, slots=True)
class TheoryFit:
    """One theory's fit to the observed strategy and its hits and misses per year."""

    name: str
    title: str
    fit: float
    log_bayes_factor: float
    yearly_fit: tuple[float, ...]
    years: tuple[int, ...]
    predicted: tuple[str | None, ...]
    observed: tuple[str | None, ...]
    predicted_probability: tuple[float, ...]

    @property
    def hit(self) -> tuple[bool | None, ...]:
        return tuple(None if p is None or o is None else p == o
                     for p, o in zip(self.predicted, self.observed, strict=True))

    @property
    def hits(self) -> int:
        return sum(1 for h in self.hit if h is True)

    @property
    def misses(self) -> int:
        return sum(1 for h in self.hit if h is False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "fit": round(self.fit, 6),
            "log_bayes_factor": round(self.log_bayes_factor, 6),
            "hits": self.hits, "misses": self.misses,
            "years": {str(year): {"predicted": p, "observed": o, "hit": h,
                                  "predicted_probability": round(q, 6),
                                  "fit": round(f, 6)}
                      for year, p, o, h, q, f in zip(self.years, self.predicted, self.observed,
                                                     self.hit, self.predicted_probability,
                                                     self.yearly_fit, strict=True)},
        }


@dataclass(frozen=True, slots=True)
class TheoryComparison:
    """Theories ranked by fit, best first, with the reference of the Bayes factors."""

    case: str
    reference: str
    counting: str
    theories: tuple[TheoryFit, ...]
    assumptions: tuple[str, ...] = ASSUMPTIONS

    def __str__(self) -> str:
        lines = [f"Theories compared on {self.case} (log Bayes factors vs {self.reference}):"]
        lines += [f"  {t.name}: fit {t.fit:+.3f}, log BF {t.log_bayes_factor:+.3f}, "
                  f"{t.hits} hits, {t.misses} misses" for t in self.theories]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "reference": self.reference, "counting": self.counting,
                "fit": "log marginal likelihood of the observed-outcome evidence relative "
                       "to a uniform prediction",
                "assumptions": list(self.assumptions),
                "theories": [t.to_dict() for t in self.theories]}


def default_theories(case: Case) -> list[str]:
    """The case's theory, its other readings (the variants its file declares) and the case's
    rival theories."""
    own = resolve_theory(case.theory, case.folder)
    return list(dict.fromkeys([case.theory, *own.readings, *case.rival_theories]))


def _resolve(case: Case, theory: Theory | str) -> Theory:
    if isinstance(theory, Theory):
        return theory
    return resolve_theory(theory, case.folder)


def _fit(analysis: Analysis, likelihood: FloatArray) -> FloatArray:
    """Per-year log marginal likelihood of the strategy evidence, relative to uniform."""
    top = likelihood.max(axis=1, keepdims=True)
    scaled = np.exp(likelihood - top)
    predicted = (analysis.predicted_yearly * scaled).sum(axis=1)
    uniform = scaled.mean(axis=1)
    return np.log(predicted) - np.log(uniform)  # type: ignore[no-any-return]


def _weighed(weighed: list[Analysis], case: Case, theory: Theory, settings: Settings | None,
             layers: Collection[str] | None) -> Analysis:
    """``analyze(case, theory, settings, layers=layers)``, from one already weighed when it
    has the same targets (the same table and beliefs; only the prediction differs)."""
    for done in weighed:
        if done.theory == theory:
            return done
        if done.theory.targets == theory.targets:
            yearly, periods = predict_from_beliefs(done.beliefs, theory)
            return replace(done, theory=theory, predicted_yearly=yearly,
                           predicted_periods=periods)
    analysis = analyze(case, theory, settings, layers=layers)
    weighed.append(analysis)
    return analysis


def compare_theories(case: Case, theories: Sequence[Theory | str] | None = None,
                     settings: Settings | None = None, *,
                     layers: Collection[str] | None = None,
                     counting: str = "once",
                     analysis: Analysis | None = None) -> TheoryComparison:
    """Score each theory's yearly predictions against the observed strategy.

    Parameters
    ----------
    case
        A loaded case.
    theories
        Theories or names (default :func:`default_theories`); the first is the reference of
        the Bayes factors.
    counting
        How items spanning several years count in the likelihood: ``"once"`` (spread over
        their years; default) or ``"per_year"`` (see :mod:`multilat.changepoint`).

    analysis
        ``analyze(case, its theory, settings)`` if the caller has it (with ``layers`` None):
        not weighed again.

    Theories with the same targets (variables, levels, sides) as one already weighed share
    its evidence table and beliefs (they depend on nothing else), so only the rule table is
    applied again.

    Raises
    ------
    InputError
        If the theories do not share the outcome and its levels.
    """
    chosen = [_resolve(case, t) for t in (theories or default_theories(case))]
    weighed: list[Analysis] = [analysis] if analysis is not None and layers is None else []
    if not chosen:
        raise InputError("no theory to compare; expected at least one")
    outcome = chosen[0].outcome
    for theory in chosen[1:]:
        if (theory.outcome.name, theory.outcome.levels) != (outcome.name, outcome.levels):
            raise InputError(f"theory {theory.name!r} has outcome {theory.outcome.name} "
                             f"{theory.outcome.levels}; expected {outcome.name} {outcome.levels} "
                             f"as in {chosen[0].name!r}")
    fits = []
    reference_fit = 0.0
    for index, theory in enumerate(chosen):
        analysis = _weighed(weighed, case, theory, settings, layers)
        likelihood = yearly_log_likelihoods(analysis, theory.observed_name, counting)
        yearly = _fit(analysis, likelihood)
        total = float(yearly.sum())
        if index == 0:
            reference_fit = total
        levels = outcome.levels
        fits.append(TheoryFit(
            theory.name, theory.title, total, total - reference_fit,
            tuple(float(v) for v in yearly), analysis.years,
            tuple(decided_level(row, levels) for row in analysis.predicted_yearly),
            tuple(decided_level(row, levels) for row in analysis.observed_yearly),
            tuple(float(row.max()) for row in analysis.predicted_yearly)))
    fits.sort(key=lambda f: -f.fit)
    return TheoryComparison(case.id, chosen[0].name, counting, tuple(fits))
