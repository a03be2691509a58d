"""Apply the variant reading of the rule table (``kpr-free-ride`` for ``kpr``)."""

from __future__ import annotations

import numpy as np

from ..analysis import Analysis
from ..infer.weighing import tabulate_evidence
from ..theory import load_theory
from ._core import PREDICTED, CheckResult, compare_conclusions, reweigh

__all__ = ["VARIANTS", "variant_rule_table"]

#: The variant reading of each built-in theory's contested cells.
VARIANTS = {"kpr": "kpr-free-ride", "kpr-free-ride": "kpr"}

ASSUMPTIONS = (
    "The variant shares the theory's variables and levels and differs only in its rule "
    "table, so the same evidence gives the same beliefs and only predictions can change.",
)


def variant_rule_table(analysis: Analysis, *, rng: np.random.Generator) -> CheckResult:
    """Does the predicted strategy depend on the contested cell of the rule table?"""
    name = VARIANTS.get(analysis.theory.name)
    question = "Does the predicted strategy survive the variant reading of the rule table?"
    if name is None:
        return CheckResult("variant_rule_table", question, ASSUMPTIONS, "not_applicable",
                           f"no variant reading is known for theory {analysis.theory.name!r}")
    variant = load_theory(name)
    table = tabulate_evidence(analysis.case, variant, analysis.settings)
    other = reweigh(analysis.__class__(analysis.case, variant, analysis.settings, table,
                                       analysis.beliefs, analysis.predicted_yearly,
                                       analysis.predicted_periods), table)
    changes = compare_conclusions(analysis, other, f"theory {name}",
                                  only=lambda key: key[0] == PREDICTED)
    summary = (f"{len(changes)} predicted-strategy conclusions change under {name}"
               if changes else f"every predicted strategy is the same under {name}")
    return CheckResult("variant_rule_table", question, ASSUMPTIONS,
                       "sensitive" if changes else "robust", summary, (f"theory {name}",),
                       tuple(changes), {"variant": name})
