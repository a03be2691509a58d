"""Push beliefs about the variables through a theory's rule table."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from .infer.weighing import VariableBeliefs
from .theory.model import Theory

__all__ = ["congruence", "predict_from_beliefs", "predict_strategy"]


def predict_strategy(
    distributions: Mapping[str, npt.NDArray[np.float64]], theory: Theory
) -> npt.NDArray[np.float64]:
    """P(outcome) for each row, given per-variable distributions of shape (rows, levels).

    Assumes the variables are independent given the evidence (their evidence items are
    distinct), so the joint is the product of the marginals; the outcome's probability is the
    total probability of the cells the rule table maps to it.
    """
    joint: npt.NDArray[np.float64] | None = None
    for variable in theory.variables:
        marginal = distributions[variable.name]
        if joint is None:
            joint = marginal
        else:
            joint = joint[..., None] * marginal.reshape(
                marginal.shape[0], *([1] * (joint.ndim - 1)), marginal.shape[1])
    assert joint is not None
    table = theory.table()
    return np.tensordot(joint, table, axes=len(theory.variables))


def predict_from_beliefs(
    beliefs: Mapping[str, VariableBeliefs], theory: Theory
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Predicted outcome per year and per period."""
    yearly = predict_strategy({v.name: beliefs[v.name].yearly for v in theory.variables}, theory)
    periods = predict_strategy({v.name: beliefs[v.name].periods for v in theory.variables},
                               theory)
    return yearly, periods


def congruence(
    predicted: npt.NDArray[np.float64], observed: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """P(predicted outcome = observed outcome), treating the two as independent."""
    return (predicted * observed).sum(axis=-1)  # type: ignore[no-any-return]
