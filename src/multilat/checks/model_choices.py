"""Weigh again under the other reliability model, and with the other kind of priors.

Two modelling choices of the weighing are settings (docs/weighing.md): how reliability enters
(``infer.reliability_model``: tempering or credibility) and whether yearly priors carry over
(``infer.priors``: fixed or dynamic). Each check re-runs the analysis under the choice not
made and reports the conclusions that change.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..analysis import Analysis, analyze
from ..infer.weighing import infer_variables, switch_probability
from ..predict import predict_from_beliefs
from ..settings import PRIOR_MODES, RELIABILITY_MODELS
from ._core import CheckResult, scenario_result

__all__ = ["dynamic_priors", "reliability_model"]

RELIABILITY_ASSUMPTIONS = (
    "tempering: an item's log-likelihoods times its reliability r (a reliability below 1 "
    "never caps a ratio, and a zero likelihood still rules its level out);",
    "credibility: with probability 1 - r the report is uninformative, so P(E | level) becomes "
    "r P(E | level) + (1 - r) x the item's mean likelihood over the levels (bounded ratios).",
    "Items with reliability 1 weigh the same under both; only the others can change a "
    "conclusion.",
)

PRIOR_ASSUMPTIONS = (
    "fixed: every year starts from the case's prior (nothing carries over);",
    "dynamic: year t's posterior, through a chance infer.dynamic.switch_probability of moving "
    "to another level, is year t+1's prior (a forward filter); per-period beliefs keep the "
    "fixed prior, so only yearly conclusions can change.",
)


def reliability_model(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Do the conclusions hold under the other reliability model?"""
    current = str(analysis.settings["infer.reliability_model"])
    other = next(m for m in RELIABILITY_MODELS if m != current)
    weighed = analysis.table.row_of()  # once: it is a dict over every row's items
    unreliable = [e for e in analysis.case.evidence if e.reliability < 1 and e.id in weighed]
    scenarios = {} if not unreliable else {
        f"reliability as {other}": _again(analysis, **{"infer.reliability_model": other})}
    return scenario_result(
        "reliability_model", "Do the conclusions hold when reliability is modelled the other "
        "way (tempering or credibility)?", RELIABILITY_ASSUMPTIONS, analysis, scenarios,
        {"model": current, "other": other, "items_below_1": len(unreliable)})


def dynamic_priors(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Do the yearly conclusions hold with and without priors carried from year to year?"""
    current = str(analysis.settings["infer.priors"])
    other = next(m for m in PRIOR_MODES if m != current)
    switch = float(analysis.settings["infer.dynamic.switch_probability"])
    scenarios = {} if len(analysis.years) < 2 else {
        f"{other} priors" + (f" (switch {switch:g})" if other == "dynamic" else ""):
        _again(analysis, **{"infer.priors": other})}
    return scenario_result(
        "dynamic_priors", "Do the yearly conclusions hold with and without priors carried "
        "from one year to the next?", PRIOR_ASSUMPTIONS, analysis, scenarios,
        {"priors": current, "other": other, "switch_probability": switch})


def _again(analysis: Analysis, **overrides: str) -> Analysis:
    """The same case and theory weighed under changed settings.

    The kind of priors does not enter the evidence table, so a change of ``infer.priors``
    weighs the analysis's own table again (as :func:`multilat.analyze` would, with the case's
    priors); any other setting tabulates the case again.
    """
    settings = analysis.settings.replace(**overrides)
    if set(overrides) != {"infer.priors"}:
        return analyze(analysis.case, analysis.theory, settings)
    theory, case = analysis.theory, analysis.case
    levels = {name for name, _, _ in theory.targets}
    priors = {name: prior for name, prior in case.priors.items() if name in levels}
    beliefs = infer_variables(analysis.table, theory, case.years, case.periods, priors,
                              switch_probability(settings))
    yearly, periods = predict_from_beliefs(beliefs, theory)
    return replace(analysis, settings=settings, beliefs=beliefs, predicted_yearly=yearly,
                   predicted_periods=periods)
