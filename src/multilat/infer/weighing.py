"""Bayesian weighing of cited evidence, vectorised with NumPy.

Each evidence item says "this is more likely if ``variable`` = ``level`` than otherwise". Its
weight is a log-likelihood ratio: the ratio its strength label stands for (see
:mod:`multilat.settings`), or the explicit ratio it gives, multiplied by its reliability (a
tempered likelihood: reliability 1 counts fully, reliability near 0 barely counts). For a
variable with levels ``l_1..l_k`` the item adds its weight to the log-score of its own level;
beliefs are the softmax of prior log-probabilities plus these sums. With two levels this is the
familiar update of log-odds by log-likelihood ratios (Fairfield and Charman 2022, ch. 3).

Items count once in each year of their span; in a period, an item whose span touches it counts
once (never once per year). Weights are accumulated with ``numpy.bincount`` over difference
arrays, so the cost is linear in the number of items.

References
----------
Van Evera, S. (1997) *Guide to Methods for Students of Political Science*. Cornell UP.
Fairfield, T. and Charman, A. E. (2022) *Social Inquiry and Bayesian Inference*. Cambridge UP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..case.model import Case, Evidence, Period
from ..decision import Scope
from ..errors import InferenceError
from ..settings import Settings
from ..theory.model import Theory

__all__ = [
    "PARTY",
    "EvidenceTable",
    "VariableBeliefs",
    "evidence_weight",
    "infer_variables",
    "tabulate_evidence",
    "target_parties",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
NO_SIDE = "none"


def evidence_weight(evidence: Evidence, settings: Settings) -> float:
    """The item's log-likelihood ratio (natural log), tempered by its reliability."""
    if evidence.likelihood_ratio is not None:
        ratio = evidence.likelihood_ratio
    else:
        if_level, if_other = settings.strength_probabilities(str(evidence.strength))
        ratio = if_level / if_other if evidence.found else (1 - if_level) / (1 - if_other)
    return float(evidence.reliability * np.log(ratio))


@dataclass(frozen=True, slots=True)
class EvidenceTable:
    """The evidence as columns: one row per item, in case order.

    ``target`` indexes ``theory.targets`` (the variables, then the outcome), ``level`` the
    target's levels, ``side`` the target's *parties* (``-1`` for none); ``weight`` is the
    log-likelihood ratio added to that level.

    A target's parties are its sides, except that a side whose role several actors hold in
    the case becomes one party per actor (``"established:USA"``, ``"established:EU"``), so
    each actor's contribution stays apart. ``parties`` holds them per target (empty: the
    theory's sides, for tables built without a case).
    """

    ids: tuple[str, ...]
    target: IntArray
    level: IntArray
    side: IntArray
    start: IntArray
    end: IntArray
    weight: FloatArray
    unused: tuple[str, ...] = ()
    parties: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: npt.NDArray[np.bool_]) -> EvidenceTable:
        """The rows where ``mask`` is true."""
        ids = tuple(i for i, keep in zip(self.ids, mask, strict=True) if keep)
        return EvidenceTable(ids, self.target[mask], self.level[mask], self.side[mask],
                             self.start[mask], self.end[mask], self.weight[mask], self.unused,
                             self.parties)


def tabulate_evidence(case: Case, theory: Theory, settings: Settings) -> EvidenceTable:
    """Columns of the case's evidence under ``theory`` and ``settings``.

    Items about variables the theory does not declare (e.g. a rival theory's variables) are
    left out and listed in ``unused``.

    Raises
    ------
    InferenceError
        If an item names a level or side the theory does not declare for its variable.
    """
    names = [name for name, _, _ in theory.targets]
    parties = tuple(target_parties(case, sides) for _, _, sides in theory.targets)
    rows, used, unused = [], [], []
    for item in case.evidence:
        if item.variable not in names:
            unused.append(item.id)
            continue
        used.append(item.id)
        target = names.index(item.variable)
        _, levels, sides = theory.targets[target]
        if item.level not in levels:
            raise InferenceError(f"evidence {item.id!r}: level {item.level!r} is not a level of "
                                 f"{item.variable!r} in theory {theory.name!r} ({levels})")
        if sides and item.side not in sides:
            raise InferenceError(f"evidence {item.id!r}: side {item.side!r} is not one of "
                                 f"{sides} for {item.variable!r}")
        side = -1
        if sides and item.side is not None:
            party = (item.side if item.side in parties[target]
                     else f"{item.side}{PARTY}{item.whose}")
            if party not in parties[target]:
                raise InferenceError(f"evidence {item.id!r}: side {item.side!r} is held by "
                                     f"several actors; whose is {item.whose!r}, expected one "
                                     f"of {parties[target]}")
            side = parties[target].index(party)
        rows.append((target, levels.index(item.level), side, item.start, item.end,
                     evidence_weight(item, settings)))
    columns = np.array(rows, dtype=np.float64).reshape(-1, 6)
    as_int = columns[:, :5].astype(np.int64)
    return EvidenceTable(tuple(used), as_int[:, 0], as_int[:, 1], as_int[:, 2], as_int[:, 3],
                         as_int[:, 4], columns[:, 5].copy(), tuple(unused), parties)


#: Joins a side and an actor id in a party's name: ``"established:USA"``.
PARTY = ":"


def target_parties(case: Case, sides: tuple[str, ...]) -> tuple[str, ...]:
    """A target's parties in ``case``: each side, split by actor where several hold its role."""
    out: list[str] = []
    for side in sides:
        holders = case.actors_in(side)
        out += [f"{side}{PARTY}{a.id}" for a in holders] if len(holders) > 1 else [side]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class VariableBeliefs:
    """Beliefs about one variable (or the outcome) per year and per period.

    ``yearly_contributions[y, s, l]`` is the summed log-likelihood ratio that party ``s``
    (``sides``: the sides, split by actor where several actors hold a side's role in the
    case, plus a last ``"none"`` slot) added to level ``l`` in year ``y``; likewise
    ``period_contributions``. ``prior`` holds prior log-probabilities.
    """

    name: str
    levels: tuple[str, ...]
    sides: tuple[str, ...]
    prior: FloatArray
    yearly_contributions: FloatArray
    period_contributions: FloatArray
    yearly_counts: IntArray
    period_counts: IntArray

    @staticmethod
    def _normalise(scores: FloatArray) -> FloatArray:
        shifted = scores - scores.max(axis=-1, keepdims=True)
        weights = np.exp(shifted)
        return weights / weights.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]

    @property
    def yearly_scores(self) -> FloatArray:
        """Prior log-probability plus evidence, per year and level (unnormalised)."""
        return self.prior + self.yearly_contributions.sum(axis=1)  # type: ignore[no-any-return]

    @property
    def period_scores(self) -> FloatArray:
        return self.prior + self.period_contributions.sum(axis=1)  # type: ignore[no-any-return]

    @property
    def yearly(self) -> FloatArray:
        """Posterior probabilities, shape (years, levels)."""
        return self._normalise(self.yearly_scores)

    @property
    def periods(self) -> FloatArray:
        """Posterior probabilities, shape (periods, levels)."""
        return self._normalise(self.period_scores)

    @property
    def side_names(self) -> tuple[str, ...]:
        return (*self.sides, NO_SIDE)

    def probabilities(self, scope: Scope) -> FloatArray:
        """Posterior probabilities per year or per period (rows) and level."""
        return self.yearly if scope is Scope.YEAR else self.periods

    def scores(self, scope: Scope) -> FloatArray:
        """Unnormalised log-scores per year or per period and level."""
        return self.yearly_scores if scope is Scope.YEAR else self.period_scores

    def contributions(self, scope: Scope) -> FloatArray:
        """Summed log-likelihood ratios per row, party and level."""
        return self.yearly_contributions if scope is Scope.YEAR else self.period_contributions

    def counts(self, scope: Scope) -> IntArray:
        """Items on this target per year or per period."""
        return self.yearly_counts if scope is Scope.YEAR else self.period_counts


def _accumulate(table: EvidenceTable, slot: IntArray, n_slots: int, first_year: int,
                n_years: int, periods: Sequence[Period]) -> tuple[FloatArray, FloatArray,
                                                                  FloatArray, FloatArray]:
    """Yearly and period sums (and counts) of weights per slot; linear in the number of items."""
    begin = table.start - first_year
    stop = table.end - first_year + 1
    size = (n_years + 1) * n_slots
    ones = np.ones(len(table))
    steps = (np.bincount(begin * n_slots + slot, table.weight, size)
             - np.bincount(stop * n_slots + slot, table.weight, size))
    counts = np.bincount(begin * n_slots + slot, ones, size) - np.bincount(
        stop * n_slots + slot, ones, size)
    yearly = np.cumsum(steps.reshape(n_years + 1, n_slots), axis=0)[:n_years]
    yearly_counts = np.cumsum(counts.reshape(n_years + 1, n_slots), axis=0)[:n_years]
    per_period = np.zeros((len(periods), n_slots))
    period_counts = np.zeros((len(periods), n_slots))
    for index, period in enumerate(periods):
        touches = (table.start <= period.end) & (table.end >= period.start)
        per_period[index] = np.bincount(slot[touches], table.weight[touches], n_slots)
        period_counts[index] = np.bincount(slot[touches], minlength=n_slots)
    return yearly, per_period, yearly_counts, period_counts


def infer_variables(
    table: EvidenceTable,
    theory: Theory,
    years: Sequence[int],
    periods: Sequence[Period],
    priors: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, VariableBeliefs]:
    """Beliefs about every variable and the outcome, per year and per period.

    Parameters
    ----------
    table
        The evidence, from :func:`tabulate_evidence`.
    theory
        Declares the variables, levels and sides.
    years
        Consecutive years to report.
    periods
        Named periods; each item counts once in each period its span touches.
    priors
        ``{variable: {level: probability}}``; uniform where absent.
    """
    priors = priors or {}
    targets = [(name, levels, table.parties[index] if table.parties else sides)
               for index, (name, levels, sides) in enumerate(theory.targets)]
    offsets = np.cumsum([0, *(len(levels) for _, levels, _ in targets)])
    n_sides = max(len(sides) for _, _, sides in targets) + 1
    n_slots = int(offsets[-1]) * n_sides
    side = np.where(table.side < 0, n_sides - 1, table.side)
    slot = (offsets[table.target] + table.level) * n_sides + side
    first = int(years[0]) if len(years) else 0
    if len(table) and ((table.start < first).any() or (table.end > first + len(years) - 1).any()):
        raise InferenceError("evidence outside the years analysed")
    yearly, per_period, yearly_counts, period_counts = _accumulate(
        table, slot, n_slots, first, len(years), periods)
    yearly = yearly.reshape(len(years), -1, n_sides)
    per_period = per_period.reshape(len(periods), -1, n_sides)
    yearly_counts = yearly_counts.reshape(len(years), -1, n_sides)
    period_counts = period_counts.reshape(len(periods), -1, n_sides)
    result = {}
    for index, (name, levels, sides) in enumerate(targets):
        part = slice(int(offsets[index]), int(offsets[index + 1]))
        keep = [*range(len(sides)), n_sides - 1]
        given = priors.get(name)
        prior = (np.log([given[level] for level in levels]) if given
                 else np.full(len(levels), -np.log(len(levels))))
        result[name] = VariableBeliefs(
            name=name, levels=levels, sides=sides, prior=prior,
            yearly_contributions=yearly[:, part][:, :, keep].transpose(0, 2, 1).copy(),
            period_contributions=per_period[:, part][:, :, keep].transpose(0, 2, 1).copy(),
            yearly_counts=np.rint(yearly_counts[:, part][:, :, keep].sum(axis=(1, 2))).astype(
                np.int64),
            period_counts=np.rint(period_counts[:, part][:, :, keep].sum(axis=(1, 2))).astype(
                np.int64),
        )
    return result
