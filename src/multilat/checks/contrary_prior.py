"""The contrary prior needed to flip each conclusion, in closed form.

A weighed belief's log-score of level ``l`` is ``log prior(l) + E_l`` (the year's prior; with
dynamic priors the one carried from the year before), where ``E_l`` is the
evidence's summed log-likelihood ratio for ``l``. The concluded level ``a`` beats a challenger
``j`` unless ``log(prior(a) / prior(j)) <= -(E_a - E_j)``. So the evidence alone fixes the
prior odds that would flip the conclusion: ``prior(a) : prior(j) = exp(-(E_a - E_j))``. With
``k`` levels and the prior mass not on ``a`` split evenly over the others, the prior probability
of ``a`` at which it flips is ``1 / (1 + (k - 1) exp(E_a - E_j))`` (for two levels,
``1 / (1 + exp(E_a - E_j))``). The easiest challenger (smallest ``E_a - E_j``) is reported; when
the evidence rules out every challenger (``E_j = -inf``) no prior flips the conclusion (prior
odds needed 0, evidence log-odds ``None`` in JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis import Analysis
from ..decision import CheckVerdict, Scope
from ._core import TIE, CheckResult, ConclusionChange, ConclusionKey

__all__ = ["MILD_ODDS", "ContraryPrior", "contrary_prior", "contrary_priors"]

#: Prior odds against a conclusion that count as "mild" (3 : 1).
MILD_ODDS = 3.0

ASSUMPTIONS = (
    "The prior changes nothing but the starting log-odds (closed form, no re-run).",
    "Only weighed beliefs (variables and the observed outcome) have priors; the predicted "
    "outcome follows from the variables' beliefs.",
    f"'Mild' means prior odds of at most {MILD_ODDS:g} : 1 against the concluded level.",
)


@dataclass(frozen=True, slots=True)
class ContraryPrior:
    """The prior that would flip one conclusion."""

    variable: str
    scope: str
    at: int | str
    level: str
    challenger: str
    evidence_log_odds: float
    prior_odds_needed: float
    prior_probability_needed: float

    @property
    def mild(self) -> bool:
        return self.prior_odds_needed >= 1.0 / MILD_ODDS

    def to_dict(self) -> dict[str, Any]:
        return {"variable": self.variable, self.scope: self.at, "level": self.level,
                "challenger": self.challenger,
                "evidence_log_odds": (round(self.evidence_log_odds, 6)
                                      if np.isfinite(self.evidence_log_odds) else None),
                "prior_odds_needed": float(f"{self.prior_odds_needed:.6g}"),
                "prior_probability_needed": float(f"{self.prior_probability_needed:.6g}"),
                "mild": self.mild}


def contrary_priors(analysis: Analysis) -> dict[ConclusionKey, ContraryPrior]:
    """The flipping prior of every decided conclusion of a weighed belief."""
    out: dict[ConclusionKey, ContraryPrior] = {}
    n_variables = len(analysis.theory.variables)
    for target, (name, levels, _) in enumerate(analysis.theory.targets):
        beliefs = analysis.beliefs[name]
        label = analysis.theory.observed_name if target == n_variables else name
        for scope in Scope:
            scores = beliefs.scores(scope)
            labels = analysis.labels(scope)
            starts = beliefs.priors(scope)
            for at, row, start in zip(labels, scores, starts, strict=True):
                order = np.argsort(-row, kind="stable")
                if row[order[0]] - row[order[1]] <= TIE:
                    continue
                top = int(order[0])
                # A level the evidence rules out has E = -inf: no prior brings it back.
                evidence = row - start
                gaps = evidence[top] - evidence
                gaps[top] = np.inf
                easiest = int(np.argmin(gaps))
                gap = float(gaps[easiest])
                out[(label, scope, at)] = ContraryPrior(
                    label, scope, at, levels[top], levels[easiest], gap, float(np.exp(-gap)),
                    float(1.0 / (1.0 + (len(levels) - 1) * np.exp(gap))))
    return out


def contrary_prior(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Would a mildly contrary prior flip any conclusion?"""
    found = contrary_priors(analysis)
    mild = [c for c in found.values() if c.mild]
    changes = tuple(ConclusionChange(c.variable, c.scope, c.at, c.level, c.challenger,
                                     f"prior odds {c.prior_odds_needed:.3g} : 1 for "
                                     f"{c.level} against {c.challenger}") for c in mild)
    summary = (f"{len(mild)} of {len(found)} weighed conclusions flip under prior odds of "
               f"{MILD_ODDS:g} : 1 against them or milder" if mild else
               f"none of {len(found)} weighed conclusions flips under prior odds of "
               f"{MILD_ODDS:g} : 1 against them")
    return CheckResult(
        "contrary_prior", "How contrary would the prior have to be to flip each conclusion?",
        ASSUMPTIONS, CheckVerdict.of(mild), summary, (), changes,
        {"contrary_priors": [c.to_dict() for c in found.values()], "mild_odds": MILD_ODDS},
        found)
