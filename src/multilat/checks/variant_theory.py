"""Apply the theory's other readings: the variants its file declares (or, for a variant, the
theory it reads and the other variants)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..analysis import Analysis
from ..decision import CheckVerdict
from ..infer.weighing import tabulate_evidence
from ..predict import predict_from_beliefs
from ..theory import resolve_theory
from ._core import CheckResult, compare_conclusions, reweigh

__all__ = ["variant_rule_table"]

ASSUMPTIONS = (
    "Each reading shares the theory's variables and levels and differs only in its rule "
    "table, so the same evidence gives the same beliefs and only predictions can change.",
)


def variant_rule_table(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does the predicted outcome depend on which reading of the rule table is used?"""
    outcome = analysis.theory.outcome.name.replace("_", " ")
    question = (f"Does the predicted {outcome} survive the theory's other readings of its "
                "rule table?")
    readings = analysis.theory.readings
    if not readings:
        return CheckResult("variant_rule_table", question, ASSUMPTIONS, CheckVerdict.NOT_APPLICABLE,
                           f"theory {analysis.theory.name!r} declares no other reading")
    changes, scenarios = [], []
    for reference in readings:
        variant = resolve_theory(reference, analysis.case.folder)
        label = f"theory {variant.name}"
        if variant.targets == analysis.theory.targets:
            # Same variables, levels and sides: same table and beliefs, only the rules differ.
            yearly, periods = predict_from_beliefs(analysis.beliefs, variant)
            other = replace(analysis, theory=variant, predicted_yearly=yearly,
                            predicted_periods=periods)
            changes += compare_conclusions(
                analysis, other, label, only=lambda key: key[0] == analysis.theory.predicted_name)
            scenarios.append(label)
            continue
        table = tabulate_evidence(analysis.case, variant, analysis.settings)
        other = reweigh(analysis.__class__(analysis.case, variant, analysis.settings, table,
                                           analysis.beliefs, analysis.predicted_yearly,
                                           analysis.predicted_periods), table)
        changes += compare_conclusions(analysis, other, label,
                                       only=lambda key: key[0] == analysis.theory.predicted_name)
        scenarios.append(label)
    names = ", ".join(s.removeprefix("theory ") for s in scenarios)
    summary = (f"{len(changes)} predicted-{outcome} conclusions change under {names}"
               if changes else f"every predicted {outcome} is the same under {names}")
    return CheckResult("variant_rule_table", question, ASSUMPTIONS,
                       CheckVerdict.of(changes), summary, tuple(scenarios),
                       tuple(changes), {"variants": [s.removeprefix("theory ")
                                                      for s in scenarios]})
