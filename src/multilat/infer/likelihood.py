"""From what an item (or a group of items) says to a weight vector over its variable's levels.

Every item is, in the end, a likelihood vector: P(what was observed | level) for each level of
its variable, known up to a common factor. A strength label stands for the vector
``(if_level at its level, if_other elsewhere)`` (complements when not found); an explicit
likelihood ratio for ``(ratio at its level, 1 elsewhere)``; ``likelihoods:`` gives it outright.
The weight vector is its logarithm, shifted so that the least likely possible level gets 0
(a constant shift changes no posterior), and levels of probability 0 are *ruled out*: kept
apart as a flag, so that removing the item (leave-one-out, flip sets) is still a subtraction.

Reliability r enters by one of two models (setting ``infer.reliability_model``):

- ``tempering`` (default): ``w = r x ln P(E | level)`` (a tempered likelihood); a level of
  probability 0 stays ruled out whatever r;
- ``credibility``: with probability r the source reports what it saw, otherwise its report is
  noise as likely under every level: ``P'(E | level) = r P(E | level) + (1 - r) a`` with ``a``
  the item's mean likelihood over the levels (Bovens and Hartmann 2003, ch. 3; Schum 1994).
  For r < 1 every ratio stays finite (at most ``(r + (1 - r) a) / ((1 - r) a)``): no
  unreliable report is decisive, and a zero no longer rules a level out.

Dependent items (an :class:`~multilat.case.model.EvidenceGroup`) get one joint vector: the one
given, or, for two binary clues with a stated correlation rho given each level, the joint
probability of the two observations under the bivariate Bernoulli model
``P(1, 1) = p1 p2 + rho s``, ``P(1, 0) = p1 (1 - p2) - rho s``, ... with
``s = sqrt(p1 (1 - p1) p2 (1 - p2))`` (the model of DeclareDesign's process-tracing designer,
parameters ``cor_E1E2_H`` and ``cor_E1E2_not_H``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..case.model import Evidence, EvidenceGroup
from ..errors import InferenceError
from ..settings import Settings

__all__ = ["joint_probabilities", "observation_probabilities", "weigh_probabilities"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def clue_probabilities(item: Evidence, levels: Sequence[str],
                       settings: Settings) -> FloatArray | None:
    """P(E | level) of the clue itself (before ``found`` is applied), per level; ``None`` for an
    explicit likelihood ratio (no probabilities)."""
    if item.likelihoods is not None:
        return np.array([item.likelihoods[level] for level in levels], dtype=np.float64)
    if item.strength is None:
        return None
    if_level, if_other = settings.strength_probabilities(item.strength)
    return np.where(np.array(levels) == item.level, if_level, if_other).astype(np.float64)


def observation_probabilities(item: Evidence, levels: Sequence[str],
                              settings: Settings) -> FloatArray:
    """P(what was observed | level) per level, up to a common factor: the clue's probabilities
    (complements when looked for and not found), or ``(ratio, 1, ..., 1)`` for an explicit
    likelihood ratio."""
    clue = clue_probabilities(item, levels, settings)
    if clue is None:
        ratio = float(item.likelihood_ratio)  # type: ignore[arg-type]
        return np.where(np.array(levels) == item.level, ratio, 1.0).astype(np.float64)
    return clue if item.found else 1.0 - clue


def joint_probabilities(group: EvidenceGroup, members: Sequence[Evidence],
                        levels: Sequence[str], settings: Settings) -> FloatArray:
    """P(every member's observation | level) per level: given, or built from a correlation.

    Raises
    ------
    InferenceError
        If a correlation is not possible with the members' probabilities (a joint cell < 0).
    """
    if group.likelihoods is not None:
        return np.array([group.likelihoods[level] for level in levels], dtype=np.float64)
    first, second = members
    p1 = clue_probabilities(first, levels, settings)
    p2 = clue_probabilities(second, levels, settings)
    if p1 is None or p2 is None:
        raise InferenceError(f"evidence group {group.id!r}: a correlation needs items with "
                             "probabilities (a strength or likelihoods)")
    rho = (np.full(len(levels), float(group.correlation))
           if isinstance(group.correlation, float)
           else np.array([group.correlation[level] for level in levels]))  # type: ignore[index]
    spread = rho * np.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    cells = {(True, True): p1 * p2 + spread, (True, False): p1 * (1 - p2) - spread,
             (False, True): (1 - p1) * p2 - spread, (False, False): (1 - p1) * (1 - p2) + spread}
    lowest = np.min(np.stack(list(cells.values())), axis=0)
    if (lowest < -1e-12).any():
        bad = [level for level, low in zip(levels, lowest, strict=True) if low < -1e-12]
        raise InferenceError(f"evidence group {group.id!r}: the correlation is not possible "
                             f"with its items' probabilities given {', '.join(bad)} (a joint "
                             "probability below 0); expected a correlation between the bounds "
                             "the two probabilities allow")
    return np.clip(cells[(first.found, second.found)], 0.0, 1.0)  # type: ignore[no-any-return]


def weigh_probabilities(probabilities: FloatArray, reliability: float,
                        model: str) -> tuple[FloatArray, BoolArray]:
    """``(weights, ruled_out)``: log-likelihoods (shifted so the least likely possible level
    gets 0) under the reliability ``model``, and the levels of probability 0."""
    if model == "credibility":
        probabilities = (reliability * probabilities
                         + (1 - reliability) * float(probabilities.mean()))
        reliability = 1.0
    ruled_out = probabilities <= 0
    if ruled_out.all():
        raise InferenceError("likelihoods that rule out every level")
    logs = np.log(np.where(ruled_out, 1.0, probabilities))
    logs = np.where(ruled_out, 0.0, reliability * (logs - logs[~ruled_out].min()))
    return logs, ruled_out


def summary_weight(weights: FloatArray, ruled_out: BoolArray, level: int) -> float:
    """One number for a row: the log-likelihood ratio of ``level`` against its strongest
    possible rival (``inf`` when the row rules out every rival)."""
    others = np.delete(weights, level)[~np.delete(ruled_out, level)]
    return float(weights[level] - others.max()) if len(others) else float("inf")


def level_pushes(weights: FloatArray, ruled_out: BoolArray) -> list[float]:
    """Per level: the log-likelihood ratio of that level against its strongest possible rival
    (``-inf`` for a ruled-out level, ``inf`` when every rival is ruled out)."""
    return [float("-inf") if ruled_out[index] else summary_weight(weights, ruled_out, index)
            for index in range(len(weights))]
